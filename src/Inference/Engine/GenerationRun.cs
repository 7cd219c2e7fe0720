namespace Engram.Inference.Engine;

/// <summary>The bookkeeping of one generation: token counts, clock readings, and how (and why) it ended.</summary>
internal sealed class GenerationRun(GenerationRequest request, ModelProfile profile, int promptTokens, TimeProvider time, long acceptedAt)
{
    private long _startedAt;
    private long? _firstTokenAt;
    private long _lastTokenAt;
    private TimeSpan _prefill;
    private int _promptTokens = promptTokens;
    private int _cachedTokens;
    private int? _runtimeGenerated;

    public int GeneratedTokens { get; private set; }
    public FinishReason? Reason { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The daemon ended it because it is stopping.</summary>
    public bool ShuttingDown { get; private set; }

    /// <summary>Nobody will read a final message: the caller left, or stopped reading and was let go.</summary>
    public bool Unheard { get; private set; }

    public void Started() => _startedAt = time.GetTimestamp();

    private long StartedAt => _startedAt == 0 ? acceptedAt : _startedAt;

    /// <summary>Sets how it ended, once; later outcomes are consequences of the first and are ignored.</summary>
    public void End(FinishReason reason, string? error = null)
    {
        if (Reason is null)
        {
            Reason = reason;
            Error = error;
        }
    }

    /// <summary>The caller is gone (cancelled, disconnected or past its own deadline): nothing can be delivered.</summary>
    public void CallerLeft()
    {
        End(FinishReason.Cancelled, request.Deadline is { } deadline && deadline <= time.GetUtcNow() ? "client deadline exceeded" : null);
        Unheard = true;
    }

    /// <summary>The caller stopped taking events for longer than the stall limit: it loses its generation, not the model.</summary>
    public void ReaderStalled(TimeSpan limit)
    {
        End(FinishReason.Cancelled, $"the client stopped reading for {limit.TotalSeconds:0.#} s");
        Unheard = true;
    }

    public void TimedOut() =>
        End(FinishReason.Deadline, $"generation ran longer than the profile's request_timeout_seconds ({profile.RequestTimeout.TotalSeconds:0})");

    public void ShutDown()
    {
        End(FinishReason.Cancelled, "daemon shutting down");
        ShuttingDown = Reason == FinishReason.Cancelled;
    }

    public void Failed(Exception error) => End(FinishReason.Error, error.Message);

    /// <summary>The reader is not reading: whatever happens now, nobody hears the end.</summary>
    public void ReaderGone() => Unheard = true;

    /// <summary>Accounts for one backend event and returns the text that may be streamed now.</summary>
    public string Observe(BackendEvent item, int maxNewTokens, Utf8TokenAssembler assembler, StopSequenceMatcher stops)
    {
        switch (item)
        {
            case PrefillCompleted prefill:
                ObserveClosing(prefill);
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
            case GenerationStatistics statistics:
                ObserveClosing(statistics);
                return "";
            default:
                return "";
        }
    }

    /// <summary>What a backend reports after the generation ended (its final figures); tokens no longer count.</summary>
    public void ObserveClosing(BackendEvent item)
    {
        switch (item)
        {
            case PrefillCompleted prefill:
                _prefill = prefill.Elapsed;
                _promptTokens = prefill.PromptTokens;
                _cachedTokens = prefill.CachedTokens;
                break;
            case GenerationStatistics statistics:
                _prefill = statistics.Prefill;
                _promptTokens = statistics.PromptTokens;
                _cachedTokens = statistics.CachedTokens;
                _runtimeGenerated = statistics.GeneratedTokens;
                break;
        }
    }

    public GenerationFinished Finish(string? stopSequence)
    {
        var end = time.GetTimestamp();
        var timings = new GenerationTimings(
            Queue: time.GetElapsedTime(acceptedAt, StartedAt),
            PromptTokens: _promptTokens,
            Prefill: _prefill,
            GeneratedTokens: _runtimeGenerated ?? GeneratedTokens,
            Decode: _firstTokenAt is { } first ? time.GetElapsedTime(first, _lastTokenAt) : TimeSpan.Zero,
            TimeToFirstToken: _firstTokenAt is { } f ? time.GetElapsedTime(acceptedAt, f) : TimeSpan.Zero,
            Total: time.GetElapsedTime(acceptedAt, end),
            CachedPromptTokens: _cachedTokens);
        return new GenerationFinished(Reason ?? FinishReason.Length, timings, stopSequence, Error, ShuttingDown);
    }

    public void Log(ILogger logger, GenerationFinished finished)
    {
        var outcome = finished.Reason.ToString().ToLowerInvariant();
        if (finished.Error is not null)
        {
            outcome += $" ({finished.Error})";
        }
        var timings = finished.Timings;
        EngineLog.RequestEnded(logger, request.RequestId, profile.Name, outcome, timings.PromptTokens, timings.CachedPromptTokens, GeneratedTokens,
            timings.TimeToFirstToken.TotalMilliseconds, timings.DecodeTokensPerSecond);
    }
}
