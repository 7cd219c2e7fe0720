using Engram.DiscordFrontend.Routing;
using Microsoft.Extensions.Configuration;

namespace Engram.DiscordFrontend.Hosting;

/// <summary>The bot's configuration, section <c>Discord</c> (appsettings.json, <c>Discord__*</c> environment, command line).</summary>
public sealed class BotOptions
{
    public const string Section = "Discord";

    /// <summary>The bot token. Prefer <see cref="TokenFile"/>, systemd credentials or DISCORD_BOT_TOKEN over this.</summary>
    [ConfigurationKeyName("token")] public string? Token { get; set; }

    /// <summary>A file holding the bot token (one line).</summary>
    [ConfigurationKeyName("token_file")] public string? TokenFile { get; set; }

    /// <summary>Discord's REST base. Default https://discord.com/api; tests point it at a local fake.</summary>
    [ConfigurationKeyName("api_base_url")] public string ApiBaseUrl { get; set; } = "https://discord.com/api";

    /// <summary>Register the slash commands in this guild only (instant; for testing) instead of globally.</summary>
    [ConfigurationKeyName("command_guild_id")] public ulong? CommandGuildId { get; set; }

    [ConfigurationKeyName("daemon")] public DaemonConnectionOptions Daemon { get; set; } = new();
    [ConfigurationKeyName("replies")] public ReplyOptions Replies { get; set; } = new();
    [ConfigurationKeyName("routing")] public RoutingOptions Routing { get; set; } = new();
    [ConfigurationKeyName("classifier")] public ClassifierOptions Classifier { get; set; } = new();
    [ConfigurationKeyName("rate_limits")] public RateLimitOptions RateLimits { get; set; } = new();
    [ConfigurationKeyName("gateway")] public GatewayOptions Gateway { get; set; } = new();
}

/// <summary>Where the daemon is and what to ask it (section <c>Discord:daemon</c>).</summary>
public sealed class DaemonConnectionOptions
{
    /// <summary>Daemon addresses (several boards: failover). Default http://127.0.0.1:50051.</summary>
    [ConfigurationKeyName("addresses")] public List<string> Addresses { get; set; } = [];

    /// <summary>With several addresses: pick_first (the first healthy board; default) or round_robin.</summary>
    [ConfigurationKeyName("load_balancing")] public string LoadBalancing { get; set; } = "pick_first";

    [ConfigurationKeyName("bearer_token_file")] public string? BearerTokenFile { get; set; }
    [ConfigurationKeyName("trusted_certificate")] public string? TrustedCertificate { get; set; }

    /// <summary>Profile for answers (empty: the daemon's default).</summary>
    [ConfigurationKeyName("model")] public string Model { get; set; } = "";

    /// <summary>Upper bound on an answer's tokens; 0 (default) leaves it to the daemon's profile.</summary>
    [ConfigurationKeyName("max_new_tokens")] public int MaxNewTokens { get; set; }

    /// <summary>Sampling temperature; unset uses the profile's default, 0 is greedy.</summary>
    [ConfigurationKeyName("temperature")] public float? Temperature { get; set; }

    /// <summary>Optional system prompt put before every conversation.</summary>
    [ConfigurationKeyName("system_prompt")] public string? SystemPrompt { get; set; }

    /// <summary>How long a request may wait for the daemon to come back (restart, model load) before the user hears it is unavailable. Default 60 s.</summary>
    [ConfigurationKeyName("wait_seconds")] public int WaitSeconds { get; set; } = 60;
}

/// <summary>How replies stream (section <c>Discord:replies</c>).</summary>
public sealed class ReplyOptions
{
    /// <summary>Least time between two edits of a reply. Default 1000 ms.</summary>
    [ConfigurationKeyName("edit_interval_ms")] public int EditIntervalMs { get; set; } = 1000;

    /// <summary>Sends and edits per channel per window, shared by all replies there. Default 5 per 5 s.</summary>
    [ConfigurationKeyName("channel_budget")] public int ChannelBudget { get; set; } = 5;
    [ConfigurationKeyName("channel_budget_window_ms")] public int ChannelBudgetWindowMs { get; set; } = 5000;

    /// <summary>The conversation: at most this many messages of the reply chain and characters in all.</summary>
    [ConfigurationKeyName("max_messages")] public int MaxMessages { get; set; } = 12;
    [ConfigurationKeyName("max_characters")] public int MaxCharacters { get; set; } = 6000;
}

/// <summary>Requests answered per user and per channel in a window (section <c>Discord:rate_limits</c>).</summary>
public sealed class RateLimitOptions
{
    [ConfigurationKeyName("per_user")] public int PerUser { get; set; } = 6;
    [ConfigurationKeyName("per_channel")] public int PerChannel { get; set; } = 20;
    [ConfigurationKeyName("window_seconds")] public int WindowSeconds { get; set; } = 60;
}

/// <summary>Reconnect pacing (section <c>Discord:gateway</c>).</summary>
public sealed class GatewayOptions
{
    [ConfigurationKeyName("reconnect_min_ms")] public int ReconnectMinMs { get; set; } = 1000;
    [ConfigurationKeyName("reconnect_max_ms")] public int ReconnectMaxMs { get; set; } = 60_000;
    [ConfigurationKeyName("identify_interval_ms")] public int IdentifyIntervalMs { get; set; } = 5000;
    [ConfigurationKeyName("cloudflare_pause_seconds")] public int CloudflarePauseSeconds { get; set; } = 600;
}
