namespace Engram.DiscordFrontend.Discord;

/// <summary>How the bot's own Discord client connects and paces itself. A record: vary it with <c>with</c>.</summary>
public sealed record DiscordClientOptions
{
    /// <summary>GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT: what a chat bot needs, nothing more.</summary>
    public const int ChatBotIntents = (1 << 0) | (1 << 9) | (1 << 12) | (1 << 15);

    /// <summary>The bot token (without "Bot "). Never logged.</summary>
    public string Token { get; init; } = "";

    /// <summary>REST base, without the version. Default https://discord.com/api.</summary>
    public Uri ApiBaseUrl { get; init; } = new("https://discord.com/api");

    public int Intents { get; init; } = ChatBotIntents;

    /// <summary>Discord asks bots for <c>DiscordBot (url, version)</c>.</summary>
    public string UserAgent { get; init; } = "DiscordBot (https://github.com/engram-ai/engram, 1.0)";

    /// <summary>Reconnect backoff: a random delay up to min·2^n, capped. Defaults 1 s and 60 s.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At most one Identify per this interval (Discord: max_concurrency 1 per 5 s).</summary>
    public TimeSpan IdentifyInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new connection may take to say Hello before it counts as failed. Default 30 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a rate-limited (429) or failed (5xx) REST request. Default 5.</summary>
    public int MaxRestRetries { get; init; } = 5;

    /// <summary>Pause for all REST calls after a non-JSON 429 (a Cloudflare ban, not a rate limit). Default 10 min.</summary>
    public TimeSpan CloudflareBanPause { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Base delay between retries of a 5xx answer (grows with each try). Default 1 s.</summary>
    public TimeSpan ServerErrorDelay { get; init; } = TimeSpan.FromSeconds(1);

    public static DiscordClientOptions Default { get; } = new();
}
