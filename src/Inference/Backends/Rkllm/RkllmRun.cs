using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Engram.Inference.Backends.Rkllm.Native;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// One rkllm_run's state, reached from the native callback through a GCHandle in <c>userdata</c>. The
/// callback copies the text at once (the runtime frees it on return), hands tokens over a bounded channel,
/// and never lets an exception reach native code.
/// </summary>
internal sealed unsafe class RkllmRun(ChannelWriter<BackendEvent> writer, int maxNewTokens, int estimatedPromptTokens, int cachedTokens = 0)
{
    /// <summary>Callback return values: 0 continue, 1 pause (stops this run, keeping the KV cache).</summary>
    private const int Continue = 0, Pause = 1;

    private readonly List<byte> _reply = [];
    private int _delivered;
    private long _startedAt;
    private long _firstTokenAt;
    private bool _paused;
    private bool _finished;

    /// <summary>Marks the start of rkllm_run; the prefill is measured from here to the first token when the runtime reports no perf.</summary>
    public void Started() => _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The runtime's own perf figures (FINISH only); they replace the prompt estimate and the prefill measured at the first token.</summary>
    /// <remarks>The runtime counts only what it prefilled; tokens already in its history count as cached prompt tokens.</remarks>
    public GenerationStatistics? RuntimeStatistics => Perf is { } perf
        ? new GenerationStatistics(cachedTokens + perf.PrefillTokens, TimeSpan.FromMilliseconds(perf.PrefillTimeMs), perf.GenerateTokens, cachedTokens)
        : null;

    /// <summary>The run ended at the runtime's own end (FINISH) without error or pause: its KV history is exactly the input and the reply.</summary>
    public bool EndedCleanly => _finished && !_paused && Error is null;

    /// <summary>What the runtime said, as text.</summary>
    public string Reply => System.Text.Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_reply));

    public string? Error { get; private set; }
    public RkllmPerfStat? Perf { get; private set; }

    /// <summary>The runtime's entry point for results; the same function serves every run and handle.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnResult(RkllmResult* result, nint userdata, int state)
    {
        try
        {
            if (userdata == 0 || GCHandle.FromIntPtr(userdata).Target is not RkllmRun run)
            {
                return Continue;
            }
            return run.Handle(result, (RkllmCallState)state);
        }
        catch
        {
            // Nothing may cross into native code; the run's own state already records what it can.
            return Continue;
        }
    }

    public static nint CallbackPointer => (nint)(delegate* unmanaged[Cdecl]<RkllmResult*, nint, int, int>)&OnResult;

    private int Handle(RkllmResult* result, RkllmCallState state)
    {
        switch (state)
        {
            case RkllmCallState.Normal when result is not null && result->Text is not null:
                var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(result->Text).ToArray();
                if (_firstTokenAt == 0)
                {
                    // The stream learns the prefill time with its first token; the runtime's perf (at FINISH) refines it.
                    _firstTokenAt = System.Diagnostics.Stopwatch.GetTimestamp();
                    Deliver(new PrefillCompleted(estimatedPromptTokens, System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt, _firstTokenAt), cachedTokens));
                }
                _reply.AddRange(bytes);
                Deliver(new GeneratedToken(bytes, IsEndOfGeneration: false));
                _paused = ++_delivered >= maxNewTokens;
                return _paused ? Pause : Continue;
            case RkllmCallState.Waiting:
                // The runtime holds an incomplete UTF-8 sequence and delivers the whole character next.
                return Continue;
            case RkllmCallState.Finish:
                _finished = true;
                if (result is not null)
                {
                    Perf = result->Perf;
                }
                if (_delivered < maxNewTokens && Error is null)
                {
                    // The runtime does not say why it finished; short of the budget it can only be its end of
                    // sequence, a normal end of turn (not a cut at the length limit).
                    Deliver(new GeneratedToken([], IsEndOfGeneration: true));
                }
                return Continue;
            case RkllmCallState.Error:
                Error = "the runtime reported RKLLM_RUN_ERROR during generation";
                return Continue;
            default:
                return Continue;
        }
    }

    // Runs on the runtime's thread: waiting here is the back-pressure of a slow reader. Once the reader is
    // gone the channel is completed, and the wait ends.
    private void Deliver(BackendEvent item)
    {
        while (!writer.TryWrite(item))
        {
            if (!writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }
    }
}
