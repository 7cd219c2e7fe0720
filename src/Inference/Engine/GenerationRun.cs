
namespace Engram.Inference.Engine;

/// <summary>The bookkeeping of one running generation: token counts, clock readings, and how it ended.</summary>
internal sealed class GenerationRun(GenerationRequest request, ModelProfile profile, int promptTokens, TimeProvider time, long acceptedAt)
{
    private long _startedAt;
    private long? _firstTokenAt;
    private long _lastTokenAt;
    private TimeSpan _prefill;
    private int _promptTokens = promptTokens;

    public int GeneratedTokens { get; private set; }
    public FinishReason? Reason { get; private set; }
    public string? Error { get; private set; }

    public void Started() => _startedAt = time.GetTimestamp();

    private long StartedAt => _startedAt == 0 ? acceptedAt : _startedAt;

    public void End(FinishReason reason) => Reason ??= reason;

    public void Fail(Exception error, bool callerLeft, bool timedOut)
    {
        if (error is OperationCanceledException && callerLeft)
        {
            // The caller is gone (cancelled, disconnected or past its own deadline): nothing can be delivered.
            End(FinishReason.Cancelled);
            Error = request.Deadline is { } deadline && deadline <= time.GetUtcNow() ? "client deadline exceeded" : null;
        }
        else if (error is OperationCanceledException && timedOut)
        {
            End(FinishReason.Deadline);
            Error = $"generation ran longer than the profile's request_timeout_seconds ({profile.RequestTimeout.TotalSeconds:0})";
        }
        else
        {
            End(FinishReason.Error);
            Error = error.Message;
        }
    }

    /// <summary>Accounts for one backend event and returns the text that may be streamed now.</summary>
    public string Observe(BackendEvent item, int maxNewTokens, Utf8TokenAssembler assembler, StopSequenceMatcher stops)
    {
        switch (item)
        {
            case PrefillCompleted prefill:
                _prefill = prefill.Elapsed;
                _promptTokens = prefill.PromptTokens;
                return "";
            case GeneratedToken { IsEndOfGeneration: true }:
                End(FinishReason.Stop);
                return "";
            case GeneratedToken token:
                var now = time.GetTimestamp();
                _firstTokenAt ??= now;
                _lastTokenAt = now;
                GeneratedTokens++;
                var text = stops.Append(assembler.Append(token.Bytes));
                if (stops.Matched is not null)
                {
                    End(FinishReason.Stop);
                }
                else if (GeneratedTokens >= maxNewTokens)
                {
                    End(FinishReason.Length);
                }
                return text;
            case ContextExhausted:
                End(FinishReason.Length);
                return "";
            default:
                return "";
        }
    }

    public GenerationFinished Finish(string? stopSequence)
    {
        var end = time.GetTimestamp();
        var timings = new GenerationTimings(
            Queue: time.GetElapsedTime(acceptedAt, StartedAt),
            PromptTokens: _promptTokens,
            Prefill: _prefill,
            GeneratedTokens: GeneratedTokens,
            Decode: _firstTokenAt is { } first ? time.GetElapsedTime(first, _lastTokenAt) : TimeSpan.Zero,
            TimeToFirstToken: _firstTokenAt is { } f ? time.GetElapsedTime(acceptedAt, f) : TimeSpan.Zero,
            Total: time.GetElapsedTime(acceptedAt, end));
        Finished = new GenerationFinished(Reason ?? FinishReason.Length, timings, stopSequence, Error);
        return Finished;
    }

    public GenerationFinished? Finished { get; private set; }

    public void Log(ILogger logger)
    {
        var timings = (Finished ?? Finish(null)).Timings;
        var outcome = Reason?.ToString().ToLowerInvariant() ?? "length";
        if (Error is not null)
        {
            outcome += $" ({Error})";
        }
        EngineLog.RequestEnded(logger, request.RequestId, profile.Name, outcome, timings.PromptTokens, GeneratedTokens,
            timings.TimeToFirstToken.TotalMilliseconds, timings.DecodeTokensPerSecond);
    }
}
