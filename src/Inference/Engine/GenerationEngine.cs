using System.Runtime.CompilerServices;
using Engram.Inference.Engine.Pressure;

namespace Engram.Inference.Engine;

/// <summary>
/// Runs generation requests: picks the model, checks the request, admits it through the model's queue,
/// drives the backend and turns its tokens into a well-formed event stream (valid UTF-8, stop strings
/// honoured, bounds enforced, real timings). Transport-free: gRPC and in-process callers use it alike.
/// </summary>
public sealed class GenerationEngine(ModelRegistry registry, PressureState pressure, IInflightRecorder inflightRecorder, TimeProvider time, ILogger<GenerationEngine> logger)
{
    /// <summary>Log prompts and outputs (the <c>log_prompts</c> option); never on by default.</summary>
    public bool LogPrompts { get; init; }

    /// <summary>
    /// The events of one request. Refusals before acceptance throw <see cref="GenerationRejectedException"/>.
    /// When <paramref name="cancellationToken"/> fires (the caller left), the stream just ends.
    /// </summary>
    public async IAsyncEnumerable<GenerationEvent> RunAsync(
        GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requested = registry.Find(request.Model) ?? throw new GenerationRejectedException(RejectionKind.ModelNotFound,
            $"unknown model '{request.Model}'; this daemon serves: {string.Join(", ", registry.Slots.Select(s => s.Profile.Name))}");
        var (slot, fallbackReason) = registry.Route(requested, pressure.Status);
        var profile = slot.Profile;
        var model = slot.Model;
        if (slot.State == ModelState.Failed)
        {
            var failure = slot.Failure!;
            throw new GenerationRejectedException(RejectionKind.ModelFailed,
                $"model '{profile.Name}' failed to load ({failure.Class.ToString().ToLowerInvariant()} failure, {failure.Kind}): {failure.Detail}; remedy: {failure.Remedy}",
                failure);
        }
        if (model is null || slot.State != ModelState.Ready)
        {
            throw new GenerationRejectedException(RejectionKind.ModelUnavailable,
                $"model '{profile.Name}' is {slot.State.ToString().ToLowerInvariant()}; retry shortly");
        }

        var bounds = RequestBounds.Resolve(request, profile);
        PreparedPrompt prompt;
        try
        {
            prompt = model.Prepare(request.Input);
        }
        catch (Exception ex)
        {
            throw new GenerationRejectedException(RejectionKind.InvalidArgument, $"the prompt could not be prepared: {ex.Message}");
        }
        if (prompt.TokenCount >= model.ContextLength)
        {
            throw new GenerationRejectedException(RejectionKind.InvalidArgument,
                $"prompt is {prompt.TokenCount} tokens but the context of model '{profile.Name}' holds {model.ContextLength} " +
                "(max_context_len), which leaves no room to generate");
        }

        var ticket = slot.Queue.TryEnter() ?? throw new GenerationRejectedException(RejectionKind.QueueFull,
            $"the queue of model '{profile.Name}' is full ({profile.QueueSize} waiting, queue_size {profile.QueueSize}); retry later");
        var accepted = time.GetTimestamp();
        var handedOff = false;
        var run = new GenerationRun(request, profile, prompt.TokenCount, time, accepted);
        try
        {
            yield return new RequestAccepted(request.RequestId, profile.Name, requested.Profile.Name,
                profile.Backend, ticket.Position, bounds.MaxNewTokens, prompt.TokenCount, fallbackReason);

            var position = ticket.Position;
            while (position != 0)
            {
                var next = await WaitForTurnAsync(ticket, cancellationToken);
                if (next is null)
                {
                    EngineLog.RequestEnded(logger, request.RequestId, profile.Name, "cancelled while queued", 0, 0, 0, 0);
                    yield break;
                }
                if (next.Value != position && next.Value != 0)
                {
                    yield return new QueuePositionChanged(next.Value, time.GetElapsedTime(accepted));
                }
                position = next.Value;
            }
            run.Started();
            slot.Touch();
            // Cleared when the backend has stopped: if the process dies meanwhile, the next start reports it.
            var inflight = inflightRecorder.Enter("generate", request.RequestId, profile.Name, profile.Backend);

            // Owned by ReleaseWhenStoppedAsync from the moment generation starts: it outlives this stream.
            var timeout = new CancellationTokenSource(profile.RequestTimeout, time);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var tokens = model.GenerateAsync(prompt, bounds.Sampling, bounds.MaxNewTokens, linked.Token).GetAsyncEnumerator(linked.Token);
            var assembler = new Utf8TokenAssembler();
            var stops = new StopSequenceMatcher(bounds.Stop);
            var output = LogPrompts ? new System.Text.StringBuilder() : null;
            Task<bool>? pending = null;
            try
            {
                while (run.Reason is null)
                {
                    pending = tokens.MoveNextAsync().AsTask();
                    var step = await TryMoveNextAsync(pending, linked.Token);
                    if (step.Error is not null)
                    {
                        run.Fail(step.Error, cancellationToken.IsCancellationRequested, timeout.IsCancellationRequested);
                        break;
                    }
                    if (!step.HasItem)
                    {
                        run.End(FinishReason.Length); // the backend stopped at max_new_tokens
                        break;
                    }
                    pending = null;
                    slot.Touch();
                    var text = run.Observe(tokens.Current, bounds.MaxNewTokens, assembler, stops);
                    if (text.Length > 0)
                    {
                        output?.Append(text);
                        yield return new TextDelta(text, run.GeneratedTokens);
                    }
                }
            }
            finally
            {
                // The caller's stream ends now; the model's slot frees only once the backend has really stopped
                // (an NPU abort can take a second or more), and Health shows that meanwhile.
                handedOff = true;
                _ = ReleaseWhenStoppedAsync(slot, tokens, pending, ticket, linked, timeout, inflight, request.RequestId);
            }

            if (run.Reason is FinishReason.Cancelled)
            {
                run.Log(logger);
                yield break; // nobody is listening any more
            }
            if (run.Reason is not FinishReason.Error && stops.Matched is null)
            {
                var rest = stops.Append(assembler.Flush()) + stops.Flush();
                if (rest.Length > 0)
                {
                    output?.Append(rest);
                    yield return new TextDelta(rest, run.GeneratedTokens);
                }
            }
            var finished = run.Finish(stops.Matched);
            run.Log(logger);
            if (output is not null)
            {
                EngineLog.RequestText(logger, request.RequestId, prompt.Text, output.ToString());
            }
            yield return finished;
        }
        finally
        {
            if (!handedOff)
            {
                ticket.Dispose();
            }
        }
    }

    private async Task ReleaseWhenStoppedAsync(ModelSlot slot, IAsyncEnumerator<BackendEvent> tokens, Task<bool>? pending, QueueTicket ticket,
        CancellationTokenSource linked, CancellationTokenSource timeout, IDisposable inflight, string requestId)
    {
        slot.BeginRelease();
        try
        {
            await linked.CancelAsync();
            if (pending is not null)
            {
                // A step the stream stopped waiting for: the backend finishes it (stopping) before it can be disposed.
                await pending.ContinueWith(static _ => { }, TaskScheduler.Default);
            }
            await tokens.DisposeAsync();
        }
        catch (Exception ex)
        {
            EngineLog.ReleaseFailed(logger, requestId, slot.Profile.Name, ex.Message);
        }
        finally
        {
            linked.Dispose();
            timeout.Dispose();
            inflight.Dispose();
            slot.EndRelease();
            ticket.Dispose();
        }
    }

    private static async ValueTask<int?> WaitForTurnAsync(QueueTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            return await ticket.NextPositionAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private readonly record struct Step(bool HasItem, Exception? Error);

    // Waits for the backend's next event, but stops waiting the moment the caller leaves or the deadline
    // passes: a backend that is slow to stop (an NPU abort) must not hold the caller's stream open.
    private static async ValueTask<Step> TryMoveNextAsync(Task<bool> next, CancellationToken stop)
    {
        try
        {
            return new Step(await next.WaitAsync(stop), null);
        }
        catch (Exception ex)
        {
            return new Step(false, ex);
        }
    }
}
