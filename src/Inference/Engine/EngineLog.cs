namespace Engram.Inference.Engine;

/// <summary>Log messages of the engine (event ids 1000-1009, 1040-1049). Prompts and outputs are logged only when log_prompts is on.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1000, LogLevel.Information,
        "request {RequestId} model={Model} outcome={Outcome} prompt_tokens={PromptTokens} cached={CachedTokens} tokens={Tokens} ttft_ms={TtftMs:0.0} decode_tok_s={DecodeTokensPerSecond:0.0}",
        EventName = "RequestEnded")]
    public static partial void RequestEnded(ILogger logger, string requestId, string model, string outcome,
        int promptTokens, int cachedTokens, int tokens, double ttftMs, double decodeTokensPerSecond);

    [LoggerMessage(1040, LogLevel.Error, "request {RequestId} model={Model}: the backend failed while stopping: {Error}", EventName = "ReleaseFailed")]
    public static partial void ReleaseFailed(ILogger logger, string requestId, string model, string error);

    [LoggerMessage(1001, LogLevel.Information, "request {RequestId} prompt={Prompt} output={Output}", EventName = "RequestText")]
    public static partial void RequestText(ILogger logger, string requestId, string prompt, string output);

    [LoggerMessage(1041, LogLevel.Warning,
        "request {RequestId} model={Model}: the client at {Peer} stopped reading for {Seconds:0.#} s; its generation ended (cancelled) and the model is free",
        EventName = "ReaderStalled")]
    public static partial void ReaderStalled(ILogger logger, string requestId, string model, string peer, double seconds);

    [LoggerMessage(1042, LogLevel.Error,
        "request {RequestId} model={Model}: the backend did not stop within {Seconds:0} s; the caller was answered and the model stays busy until it does",
        EventName = "BackendSlowToStop")]
    public static partial void BackendSlowToStop(ILogger logger, string requestId, string model, double seconds);

    [LoggerMessage(1043, LogLevel.Error, "request {RequestId} model={Model}: the generation failed unexpectedly", EventName = "GenerationCrashed")]
    public static partial void GenerationCrashed(ILogger logger, string requestId, string model, Exception exception);
}
