using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Engram.Inference.Backends.Rkllm.Native;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// An RKLLM handle ready to generate. rkllm_run blocks on the model's worker thread; tokens come back through
/// the callback and a bounded channel; cancellation calls rkllm_abort, and disposal of a generation returns
/// only when the runtime has returned, so the model's slot frees exactly then.
/// </summary>
internal sealed class RkllmLoadedModel : ILoadedModel
{
    private readonly RkllmLibrary _library;
    private readonly nint _handle;
    private readonly NativeWorkerThread _worker;
    private readonly ModelProfile _profile;
    private readonly nint _callbackStruct;
    private readonly nint _modelPath;
    private readonly RkllmHistory _history = new();
    private readonly Lock _historyLock = new();
    private int _peakTokens;

    public RkllmLoadedModel(RkllmLibrary library, nint handle, NativeWorkerThread worker, ModelProfile profile, nint callbackStruct,
        nint modelPath, int contextLength, RuntimeFacts runtime)
    {
        _library = library;
        _handle = handle;
        _worker = worker;
        _profile = profile;
        _callbackStruct = callbackStruct;
        _modelPath = modelPath;
        ContextLength = contextLength;
        Runtime = runtime;
    }

    public int ContextLength { get; }

    // The runtime tokenizes internally, so the daemon counts about 4 bytes a token (see Prepare).
    public long MaxPromptBytes => 4L * ContextLength;

    public RuntimeFacts Runtime { get; }

    public ContextUsage Context
    {
        get
        {
            lock (_historyLock)
            {
                return new ContextUsage(_history.Tokens, _peakTokens, ContextLength, _history.Tokens > 0 ? 1 : 0);
            }
        }
    }

    /// <summary>Runs keep their KV history, so a conversation's next turn sends (and prefills) only that turn.</summary>
    private bool KeepsHistory => _profile.PromptCacheSlots > 0;

    public PreparedPrompt Prepare(PromptInput input)
    {
        // The runtime applies the model's own chat template to a user turn; earlier turns are given as context.
        // Content never carries a template marker the runtime would parse (see RkllmPromptText); a raw prompt is
        // the caller's own text, markers and all.
        var turns = input.Turns;
        var text = input.UsesTemplate
            ? string.Join("\n", turns.Take(turns.Count - 1).Select(m => $"{m.Role}: {RkllmPromptText.Neutralise(m.Content)}")
                .Append(RkllmPromptText.Neutralise(turns[^1].Content)).Where(t => t.Length > 0))
            : input.Prompt;
        // The runtime tokenizes internally; about 4 bytes per token is the usual ratio for these tokenizers. It
        // always applies the model's chat template to its input, raw or not (it offers no per-run way round it).
        return new PreparedPrompt(text, [], EstimateTokens(text), ChatTemplateApplied: true) { Turns = input.UsesTemplate ? turns : null };
    }

    private static int EstimateTokens(string text) => Encoding.UTF8.GetByteCount(text) / 4 + 1;

    /// <summary>What one run sends: the whole prompt on a cleared cache, or only a conversation's next turn on top of the history.</summary>
    private sealed record RunPlan(string Text, bool KeepHistory, bool Continues, int CachedTokens);

    private RunPlan Plan(PreparedPrompt prompt)
    {
        if (!KeepsHistory || prompt.Turns is not { } turns)
        {
            return new RunPlan(prompt.Text, KeepHistory: false, Continues: false, 0);
        }
        lock (_historyLock)
        {
            if (_history.NextTurnOf(turns) is { } next && RkllmPromptText.Neutralise(next.Content) is var text
                && _history.Tokens + EstimateTokens(text) < ContextLength)
            {
                return new RunPlan(text, KeepHistory: true, Continues: true, _history.Tokens);
            }
        }
        return new RunPlan(prompt.Text, KeepHistory: true, Continues: false, 0);
    }

    // On the worker thread, right after rkllm_run returned: what the runtime's KV cache now holds.
    private void Remember(RunPlan plan, PreparedPrompt prompt, RkllmRun run)
    {
        lock (_historyLock)
        {
            if (plan.KeepHistory && run.EndedCleanly && prompt.Turns is { } turns)
            {
                var tokens = run.Perf is { } perf ? perf.PrefillTokens + perf.GenerateTokens : EstimateTokens(plan.Text) + EstimateTokens(run.Reply);
                _history.Ran(turns, run.Reply, tokens, plan.Continues);
                _peakTokens = Math.Max(_peakTokens, _history.Tokens);
            }
            else
            {
                _history.Forget(); // the next run clears the cache first
            }
        }
    }

    public async IAsyncEnumerable<BackendEvent> GenerateAsync(PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<BackendEvent>(new BoundedChannelOptions(16)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var plan = Plan(prompt);
        var run = new RkllmRun(channel.Writer, maxNewTokens, prompt.TokenCount, plan.CachedTokens);
        var userdata = GCHandle.Alloc(run);
        var running = _worker.InvokeAsync(() =>
        {
            run.Started();
            try
            {
                return RunNative(plan, sampling, maxNewTokens, GCHandle.ToIntPtr(userdata));
            }
            finally
            {
                Remember(plan, prompt, run);
            }
        });
        _ = running.ContinueWith(async t =>
        {
            if (run.RuntimeStatistics is { } statistics)
            {
                try
                {
                    // After the end of generation, behind any tokens still buffered; the engine waits for it.
                    await channel.Writer.WriteAsync(statistics);
                }
                catch (ChannelClosedException)
                {
                    // The reader is gone: nobody needs the figures.
                }
            }
            var error = t.Exception?.InnerException?.Message ?? run.Error
                ?? (t.Result != 0 ? $"rkllm_run returned {t.Result}" : null);
            channel.Writer.TryComplete(error is null ? null : new InvalidOperationException(error));
        }, TaskScheduler.Default).Unwrap();
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            if (!running.IsCompleted)
            {
                AbortNative();
            }
            channel.Writer.TryComplete(); // releases a callback waiting for room
            await running.ContinueWith(static _ => { }, TaskScheduler.Default);
            userdata.Free();
        }
    }

    private unsafe int RunNative(RunPlan plan, SamplingSettings sampling, int maxNewTokens, nint userdata)
    {
        var text = (byte*)Marshal.StringToCoTaskMemUTF8(plan.Text);
        var role = (byte*)Marshal.StringToCoTaskMemUTF8("user");
        var keepHistory = plan.KeepHistory ? 1 : 0;
        try
        {
            if (!plan.Continues)
            {
                // A new conversation (or none kept): whatever the cache holds, a paused run's tokens included, goes.
                _library.ClearKvCache(_handle, 0, null, null);
            }
            if (_library.Abi == RkllmAbi.V1_3)
            {
                var input = new Native.V1_3.RkllmInput { Role = role, InputType = 0, PromptInput = text };
                var samplingParam = new Native.V1_3.RkllmSamplingParam
                {
                    TopK = sampling.TopK,
                    TopP = sampling.TopP,
                    Temperature = sampling.IsGreedy ? 0f : sampling.Temperature,
                    RepeatPenalty = _profile.Npu.RepeatPenalty,
                    FrequencyPenalty = _profile.Npu.FrequencyPenalty,
                    PresencePenalty = _profile.Npu.PresencePenalty,
                    MirostatTau = 5f,
                    MirostatEta = 0.1f,
                };
                var infer = new Native.V1_3.RkllmInferParam { Mode = 0, SamplingParams = (nint)(&samplingParam), KeepHistory = keepHistory, MaxNewTokens = maxNewTokens };
                return _library.Run(_handle, &input, &infer, userdata);
            }
            else
            {
                // 1.2.x samples with the init-time settings; the per-request bound is enforced by pausing in the callback.
                var input = new Native.V1_2.RkllmInput { Role = role, InputType = 0, PromptInput = text };
                var infer = new Native.V1_2.RkllmInferParam { Mode = 0, KeepHistory = keepHistory };
                return _library.Run(_handle, &input, &infer, userdata);
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem((nint)text);
            Marshal.FreeCoTaskMem((nint)role);
        }
    }

    // rkllm_abort is safe from any thread; rkllm_run is blocked on the worker meanwhile.
    private unsafe int AbortNative() => _library.Abort(_handle);

    private unsafe int DestroyNative() => _library.Destroy(_handle);

    private unsafe void FreeNativeMemory()
    {
        if (_callbackStruct != 0)
        {
            NativeMemory.Free((void*)_callbackStruct);
        }
        Marshal.FreeCoTaskMem(_modelPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.InvokeAsync(DestroyNative);
        _worker.Dispose();
        FreeNativeMemory();
        _library.Dispose();
    }
}
