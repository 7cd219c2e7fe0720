using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Discord;

/// <summary>Log events of the Discord client (EventIds 100-199). The token never appears in any of them.</summary>
internal static partial class DiscordLog
{
    [LoggerMessage(100, LogLevel.Information, "Discord session ready as {Username} ({UserId})")]
    public static partial void Ready(ILogger logger, string username, ulong userId);

    [LoggerMessage(101, LogLevel.Information, "Discord session resumed at sequence {Sequence}; missed events replayed")]
    public static partial void Resumed(ILogger logger, long? sequence);

    [LoggerMessage(102, LogLevel.Warning, "Gateway connection ended: {Reason}; next: {Action}")]
    public static partial void ConnectionEnded(ILogger logger, string reason, string action);

    [LoggerMessage(103, LogLevel.Information, "Identify budget: {Remaining} of {Total} session starts left today")]
    public static partial void SessionStartBudget(ILogger logger, int remaining, int total);

    [LoggerMessage(104, LogLevel.Error, "The day's session-start budget is used up; waiting {Wait} before identifying")]
    public static partial void IdentifyBudgetExhausted(ILogger logger, TimeSpan wait);

    [LoggerMessage(110, LogLevel.Warning, "Rate limited on {Route}: retrying after {RetryAfter} (global: {Global})")]
    public static partial void RateLimited(ILogger logger, string route, TimeSpan retryAfter, bool global);

    [LoggerMessage(111, LogLevel.Error, "A 429 without a JSON body on {Route}: likely a Cloudflare ban; all REST calls pause for {Pause}")]
    public static partial void CloudflareBan(ILogger logger, string route, TimeSpan pause);

    [LoggerMessage(112, LogLevel.Warning, "Discord answered {Route} with HTTP {Status}; retrying in {Delay}")]
    public static partial void ServerError(ILogger logger, string route, int status, TimeSpan delay);
}
