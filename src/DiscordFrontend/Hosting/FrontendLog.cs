using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend;

/// <summary>Log events of the bot (EventIds 200-299).</summary>
internal static partial class FrontendLog
{
    [LoggerMessage(200, LogLevel.Information, "engram-discord starting: daemon {Daemon}, token from {TokenSource}")]
    public static partial void Starting(ILogger logger, string daemon, string tokenSource);

    [LoggerMessage(201, LogLevel.Information, "Message {MessageId} in channel {ChannelId}: {Route} ({Reason})")]
    public static partial void Routed(ILogger logger, ulong messageId, ulong channelId, string route, string reason);

    [LoggerMessage(202, LogLevel.Information, "Reply to {RequestId} done: {Characters} characters in {Messages} message(s), {Pushes} pushes")]
    public static partial void Replied(ILogger logger, string requestId, int characters, int messages, int pushes);

    [LoggerMessage(203, LogLevel.Warning, "Generation stream {RequestId} broke after {Tokens} tokens ({Status})")]
    public static partial void StreamInterrupted(ILogger logger, string requestId, int tokens, string status);

    [LoggerMessage(204, LogLevel.Warning, "The daemon refused {RequestId}: {Status} {Detail}")]
    public static partial void DaemonRefused(ILogger logger, string requestId, string status, string detail);

    [LoggerMessage(205, LogLevel.Warning, "The daemon is unavailable for {RequestId}: {Reason}")]
    public static partial void DaemonUnavailable(ILogger logger, string requestId, string reason);

    [LoggerMessage(206, LogLevel.Warning, "Classification failed ({Error}: {Message}); taking the default label {Label}")]
    public static partial void ClassificationFailed(ILogger logger, string error, string message, string label);

    [LoggerMessage(207, LogLevel.Information, "Classified message {MessageId} as {Label}")]
    public static partial void Classified(ILogger logger, ulong messageId, string label);

    [LoggerMessage(208, LogLevel.Information, "Rate limit ({Scope}) refused user {UserId} in channel {ChannelId}; retry after {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, string scope, ulong userId, ulong channelId, TimeSpan retryAfter);

    [LoggerMessage(209, LogLevel.Error, "Handling {What} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(210, LogLevel.Critical, "Discord refused the bot: {Reason}. Stopping.")]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(211, LogLevel.Information, "Registered {Count} slash commands ({Scope})")]
    public static partial void CommandsRegistered(ILogger logger, int count, string scope);

    [LoggerMessage(212, LogLevel.Warning, "Registering slash commands failed: {Reason}")]
    public static partial void CommandsFailed(ILogger logger, string reason);
}
