namespace Engram.InferenceDaemon.Diagnostics;

/// <summary>Log messages of hosting (event ids 1-99).</summary>
internal static partial class DaemonLog
{
    // Tests and scripts read this line to learn the bound port: keep its shape.
    [LoggerMessage(1, LogLevel.Information, "engram-daemon {Version} listening on {Address} (gRPC, {Transport})", EventName = "Listening")]
    public static partial void Listening(ILogger logger, string version, string address, string transport);

    [LoggerMessage(6, LogLevel.Warning,
        "metrics are served beyond this machine at {Url} (metrics_public){TokenNote}: they name the models and show the load", EventName = "PublicMetrics")]
    public static partial void PublicMetrics(ILogger logger, string url, string tokenNote);

    [LoggerMessage(3, LogLevel.Critical, "systemd watchdog pings withheld: {Stall}", EventName = "WatchdogWithheld")]
    public static partial void WatchdogWithheld(ILogger logger, string stall);

    [LoggerMessage(4, LogLevel.Warning,
        "INSECURE: listening on {Listen} beyond this machine without TLS and a bearer token (--insecure): anyone on the network can use this daemon",
        EventName = "Insecure")]
    public static partial void Insecure(ILogger logger, string listen);

    [LoggerMessage(5, LogLevel.Information, "Prometheus metrics at {Url}", EventName = "Metrics")]
    public static partial void Metrics(ILogger logger, string url);

    [LoggerMessage(7, LogLevel.Information, "OpenAI-compatible API at {Url} (/chat/completions, /completions, /models)", EventName = "OpenAi")]
    public static partial void OpenAi(ILogger logger, string url);

    [LoggerMessage(2, LogLevel.Information,
        "profile {Profile}: backend={Backend} model={Path} max_context_len={Context} max_new_tokens={MaxNewTokens} queue_size={QueueSize} default={IsDefault}",
        EventName = "Profile")]
    public static partial void Profile(ILogger logger, string profile, string backend, string path, int context, int maxNewTokens, int queueSize, bool isDefault);
}
