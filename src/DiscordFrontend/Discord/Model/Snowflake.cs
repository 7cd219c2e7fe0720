using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>
/// Discord IDs are 64-bit snowflakes sent as strings, though a few fields carry them as numbers: read either,
/// write strings (JavaScript clients cannot hold 64-bit integers).
/// </summary>
public sealed class SnowflakeConverter : JsonConverter<ulong>
{
    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => ulong.Parse(reader.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
        JsonTokenType.Number => reader.GetUInt64(),
        _ => throw new JsonException($"a snowflake must be a string or a number, not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
