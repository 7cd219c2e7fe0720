using System.Text.Json;

namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>One gateway payload: <c>{op, d, s, t}</c>; <c>s</c> and <c>t</c> are set for dispatches only.</summary>
internal sealed record GatewayFrame(GatewayOpcode Op, JsonElement Data, long? Sequence, string? EventName)
{
    public static GatewayFrame Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        return new GatewayFrame(
            (GatewayOpcode)root.GetProperty("op").GetInt32(),
            root.TryGetProperty("d", out var d) ? d.Clone() : default,
            root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null,
            root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null);
    }
}
