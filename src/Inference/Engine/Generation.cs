using System.Text;
using System.Threading.Channels;

namespace Engram.Inference.Engine;

/// <summary>
/// One accepted request, from its place in the queue to its last event, run as its own task. It hands its
/// events to the reader through a small bounded channel, so every wait is the engine's own and bounded: a
/// reader that stalls loses the generation (the model does not wait for it), the request timeout covers the
/// whole generation including blocked hand-offs, and the model's slot is free before <c>finished</c> is handed over or
/// the transport is told to end a stalled reader's call.
/// </summary>
internal sealed class Generation
{
    // Enough to ride out a reader's scheduling hiccups; small, so a slow reader slows generation down at once.
    private const int BufferedEvents = 8;

    private readonly Channel<GenerationEvent> _events = Channel.CreateBounded<GenerationEvent>(
        new BoundedChannelOptions(BufferedEvents) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _callerLeft;
    private readonly CancellationTokenSource _abandoned = new();
    private readonly GenerationEngine _engine;
    private readonly GenerationRequest _request;
    private readonly ModelSlot _slot;
    private readonly ILoadedModel _model;
    private readonly PreparedPrompt _prompt;
    private readonly RequestBounds _bounds;
    private readonly QueueTicket _ticket;
    private readonly RequestAccepted _accepted;
    private readonly GenerationRun _run;
    private CancellationTokenSource? _timeout;
    private bool _running;
    // Set when the backend did not stop in time: its slot is freed by a background continuation, not here.
    private bool _releasingInBackground;
    // Set when the reader will hear nothing more; the transport is told to end the call once the slot is free,
    // so a client that sees its stream reset finds the model free for its next request.
    private bool _abandonReader;
    private TimeSpan? _readerStalledFor;

    public Generation(GenerationEngine engine, GenerationRequest request, ModelSlot slot, ILoadedModel model, PreparedPrompt prompt,
        RequestBounds bounds, QueueTicket ticket, RequestAccepted accepted, long acceptedAt, CancellationToken callerToken)
    {
        _engine = engine;
        _request = request;
        _slot = slot;
        _model = model;
        _prompt = prompt;
        _bounds = bounds;
        _ticket = ticket;
        _accepted = accepted;
        _run = new GenerationRun(request, slot.Profile, prompt.TokenCount, engine.Time, acceptedAt);
        _callerLeft = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        Completion = Task.Run(RunAsync);
    }

    public ChannelReader<GenerationEvent> Events => _events.Reader;

    /// <summary>Fires when the engine gave up on the reader (it stopped reading): the transport should end the call.</summary>
    public CancellationToken Abandoned => _abandoned.Token;

    public Task Completion { get; }

    /// <summary>The caller is gone: a generation still running stops and frees its model.</summary>
    public void CallerLeft()
    {
        try
        {
            _callerLeft.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private ModelProfile Profile => _slot.Profile;

    private async Task RunAsync()
    {
        try
        {
            if (await EmitAsync(_accepted, _callerLeft.Token) && await WaitForTurnAsync())
            {
                await GenerateAsync();
            }
        }
        catch (Exception ex)
        {
            EngineLog.GenerationCrashed(_engine.Logger, _request.RequestId, Profile.Name, ex);
        }
        finally
        {
            if (!_releasingInBackground)
            {
                _ticket.Dispose(); // idempotent: a no-op once the slot was released
            }
            if (_abandonReader)
            {
                if (_readerStalledFor is { } limit)
                {
                    EngineLog.ReaderStalled(_engine.Logger, _request.RequestId, Profile.Name, _request.Peer, limit.TotalSeconds);
                }
                _abandoned.Cancel(); // before the events complete, so the transport never takes the end for a clean one
            }
            _events.Writer.TryComplete();
            _timeout?.Dispose();
        }
    }

    /// <summary>Waits for the model; false when the request ended while queued (caller left, reader stalled, daemon stopping).</summary>
    private async Task<bool> WaitForTurnAsync()
    {
        var position = _ticket.Position;
        while (position != 0)
        {
            int next;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(_callerLeft.Token, _engine.QueuedShutdown))
            {
                try
                {
                    next = await _ticket.NextPositionAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _ticket.Dispose();
                    if (_callerLeft.IsCancellationRequested)
                    {
                        _run.CallerLeft();
                    }
                    else
                    {
                        _run.ShutDown(); // told at once, without waiting for the running generation's grace
                    }
                    await FinishAsync(stopSequence: null, _callerLeft.Token);
                    return false;
                }
            }
            if (next != position && next != 0 && !await EmitAsync(new QueuePositionChanged(next, _engine.Time.GetElapsedTime(_ticket.EnqueuedAt)), _callerLeft.Token))
            {
                await FinishAsync(stopSequence: null, _callerLeft.Token);
                return false;
            }
            position = next;
        }
        return true;
    }

    private async Task GenerateAsync()
    {
        _running = true;
        _run.Started();
        _slot.Touch();
        // Removed once the backend has stopped: if the process dies meanwhile, the next start reports it.
        var inflight = _engine.Inflight.Enter(new InflightOperation("generate", _request.RequestId, Profile));
        _timeout = new CancellationTokenSource(Profile.RequestTimeout, _engine.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_callerLeft.Token, _timeout.Token, _engine.RunningShutdown);
        var tokens = _model.GenerateAsync(_prompt, _bounds.Sampling, _bounds.MaxNewTokens, stop.Token).GetAsyncEnumerator(stop.Token);
        var assembler = new Utf8TokenAssembler();
        var stops = new StopSequenceMatcher(_bounds.Stop);
        var output = _engine.LogPrompts ? new StringBuilder() : null;
        Task<bool>? pending = null;
        while (_run.Reason is null)
        {
            pending = tokens.MoveNextAsync().AsTask();
            bool hasItem;
            try
            {
                // Stop waiting the moment the caller leaves or a limit passes: a backend slow to stop (an NPU abort)
                // must not hold anyone; the step it is in is finished while releasing.
                hasItem = await pending.WaitAsync(stop.Token);
            }
            catch (Exception ex)
            {
                Ended(ex);
                break;
            }
            pending = null;
            if (!hasItem)
            {
                _run.End(FinishReason.Length); // the backend stopped at max_new_tokens
                break;
            }
            _slot.Touch();
            var text = _run.Observe(tokens.Current, _bounds.MaxNewTokens, assembler, stops);
            if (text.Length > 0)
            {
                output?.Append(text);
                if (!await EmitAsync(new TextDelta(text, _run.GeneratedTokens), stop.Token))
                {
                    break;
                }
            }
        }

        // A backend that ended the generation itself (end of turn, its token budget, a full context) is let finish,
        // so its final figures arrive; otherwise it is stopped.
        var letFinish = pending is null && stops.Matched is null && _run.Reason is FinishReason.Stop or FinishReason.Length;
        var rest = !_run.Unheard && _run.Reason is not FinishReason.Error && stops.Matched is null ? stops.Append(assembler.Flush()) + stops.Flush() : "";
        await ReleaseAsync(tokens, pending, stop, letFinish, inflight);

        // The slot is free now; the last hand-offs are still bounded by the caller, the request timeout and the stall limit.
        using var lasting = CancellationTokenSource.CreateLinkedTokenSource(_callerLeft.Token, _timeout.Token);
        if (rest.Length > 0)
        {
            output?.Append(rest);
            await EmitAsync(new TextDelta(rest, _run.GeneratedTokens), lasting.Token);
        }
        if (output is not null)
        {
            EngineLog.RequestText(_engine.Logger, _request.RequestId, _request.Input.AsWritten, output.ToString());
        }
        await FinishAsync(stops.Matched, lasting.Token);
    }

    /// <summary>Records why the backend step was given up on.</summary>
    private void Ended(Exception error)
    {
        if (error is OperationCanceledException)
        {
            if (_callerLeft.IsCancellationRequested)
            {
                _run.CallerLeft();
                return;
            }
            if (_timeout?.IsCancellationRequested == true)
            {
                _run.TimedOut();
                return;
            }
            if (_engine.RunningShutdown.IsCancellationRequested)
            {
                _run.ShutDown();
                return;
            }
        }
        _run.Failed(error);
    }

    /// <summary>
    /// Stops the backend and frees the slot, waiting at most the stop timeout: a backend that will not stop
    /// (a hung native call) keeps the slot in the background, and the caller is told all the same.
    /// </summary>
    private async Task ReleaseAsync(IAsyncEnumerator<BackendEvent> tokens, Task<bool>? pending, CancellationTokenSource stop, bool letFinish,
        IDisposable inflight)
    {
        _slot.BeginRelease();
        var stopping = StopBackendAsync(tokens, pending, stop, letFinish);
        if (await Task.WhenAny(stopping, Task.Delay(_engine.Limits.StopTimeout, _engine.Time)) == stopping)
        {
            Released(inflight);
            return;
        }
        // A backend still finishing on its own is told to stop; one that does not is a hung native call (the watchdog's case).
        await stop.CancelAsync();
        _releasingInBackground = true;
        EngineLog.BackendSlowToStop(_engine.Logger, _request.RequestId, Profile.Name, _engine.Limits.StopTimeout.TotalSeconds);
        _ = stopping.ContinueWith(_ => Released(inflight), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Released(IDisposable inflight)
    {
        inflight.Dispose();
        _slot.EndRelease();
        _ticket.Dispose();
    }

    private async Task StopBackendAsync(IAsyncEnumerator<BackendEvent> tokens, Task<bool>? pending, CancellationTokenSource stop, bool letFinish)
    {
        try
        {
            if (letFinish)
            {
                // What the backend still has to say (its final figures) comes before its end.
                while (await tokens.MoveNextAsync())
                {
                    _run.ObserveClosing(tokens.Current);
                }
            }
            else
            {
                await stop.CancelAsync();
                if (pending is not null)
                {
                    await pending.ContinueWith(static _ => { }, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            EngineLog.ReleaseFailed(_engine.Logger, _request.RequestId, Profile.Name, ex.Message);
        }
        try
        {
            await tokens.DisposeAsync(); // returns once the native work has stopped
        }
        catch (Exception ex)
        {
            EngineLog.ReleaseFailed(_engine.Logger, _request.RequestId, Profile.Name, ex.Message);
        }
    }

    /// <summary>Hands over the final message (unless nobody will read it) and logs how the request ended.</summary>
    private async Task FinishAsync(string? stopSequence, CancellationToken stop)
    {
        var finished = _run.Finish(stopSequence);
        _run.Log(_engine.Logger, finished); // before the caller hears the end, so the journal is complete when it does
        if (!_run.Unheard)
        {
            await EmitAsync(finished, stop);
        }
    }

    /// <summary>
    /// Hands one event to the reader, waiting at most the write-stall limit for room. False when the event
    /// cannot be delivered: the caller left, a limit passed, or the reader stalled (then the generation is
    /// abandoned and the transport told to end the call).
    /// </summary>
    private async ValueTask<bool> EmitAsync(GenerationEvent item, CancellationToken stop)
    {
        if (_events.Writer.TryWrite(item))
        {
            return true;
        }
        var limit = _engine.Limits.WriteStallTimeout;
        using var stall = new CancellationTokenSource(limit, _engine.Time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, stall.Token);
        if (_running)
        {
            // The reader's pause is not an engine stall; marked once its own limit is counting, so whoever sees the
            // pause (the liveness check, a test on a fake clock) knows the write-stall clock is already running.
            _slot.PausedByClient = true;
        }
        try
        {
            while (!_events.Writer.TryWrite(item))
            {
                await _events.Writer.WaitToWriteAsync(wait.Token);
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            if (_callerLeft.IsCancellationRequested)
            {
                _run.CallerLeft();
                return false;
            }
            if (stall.IsCancellationRequested)
            {
                _run.ReaderStalled(limit);
                _readerStalledFor = limit;
            }
            else if (_timeout?.IsCancellationRequested == true)
            {
                _run.TimedOut();
            }
            else
            {
                _run.ShutDown();
            }
            Abandon();
            return false;
        }
        finally
        {
            if (_running)
            {
                _slot.PausedByClient = false;
                _slot.Touch();
            }
        }
    }

    // The reader is not reading: nothing more will reach it. Its transport ends the call once the slot is free.
    private void Abandon()
    {
        _run.ReaderGone();
        _abandonReader = true;
    }
}
