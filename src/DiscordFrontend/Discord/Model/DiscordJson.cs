using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>
/// The JSON conventions of Discord's API: snake_case names, snowflakes as strings, nulls left out when writing,
/// unknown fields ignored when reading (Discord adds fields without notice).
/// </summary>
public static class DiscordJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new SnowflakeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
