namespace Engram.DiscordFrontend.Discord;

/// <summary>
/// Discord refused the bot in a way retrying cannot fix (token rejected, intents not allowed, bad shard or
/// API version). Retrying would burn the daily Identify budget, or get the IP banned, so the bot stops.
/// </summary>
public sealed class DiscordFatalException(string message, int? closeCode = null) : Exception(message)
{
    /// <summary>The gateway close code, when the refusal came from the gateway.</summary>
    public int? CloseCode { get; } = closeCode;
}
