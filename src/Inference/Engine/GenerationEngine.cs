using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Engram.Inference.Engine.Pressure;

namespace Engram.Inference.Engine;

/// <summary>
/// Runs generation requests: picks the model, checks the request (cheap bounds first, tokenizing last and
/// with limited concurrency), admits it through the model's queue, and starts a <see cref="Generation"/> that
/// turns the backend's tokens into a well-formed event stream (valid UTF-8, stop strings honoured, bounds
/// enforced, real timings). Transport-free: gRPC, the OpenAI door and in-process callers use it alike.
/// </summary>
public sealed class GenerationEngine
{
    private readonly ModelRegistry _registry;
    private readonly PressureState _pressure;
    private readonly SemaphoreSlim _preparation;
    private readonly ConcurrentDictionary<Generation, byte> _active = new();
    private readonly CancellationTokenSource _queuedShutdown = new();
    private readonly CancellationTokenSource _runningShutdown = new();

    public GenerationEngine(ModelRegistry registry, PressureState pressure, IInflightRecorder inflight, TimeProvider time,
        ILogger<GenerationEngine> logger, GenerationLimits? limits = null)
    {
        _registry = registry;
        _pressure = pressure;
        Inflight = inflight;
        Time = time;
        Logger = logger;
        Limits = limits ?? GenerationLimits.Default;
        _preparation = new SemaphoreSlim(Limits.PreparationConcurrency, Limits.PreparationConcurrency);
    }

    /// <summary>Log prompts and outputs (the <c>log_prompts</c> option); never on by default.</summary>
    public bool LogPrompts { get; init; }

    public GenerationLimits Limits { get; }

    internal IInflightRecorder Inflight { get; }
    internal TimeProvider Time { get; }
    internal ILogger Logger { get; }
    internal CancellationToken QueuedShutdown => _queuedShutdown.Token;
    internal CancellationToken RunningShutdown => _runningShutdown.Token;

    /// <summary>True once the daemon has begun to stop: new requests are refused.</summary>
    public bool IsStopping => _queuedShutdown.IsCancellationRequested;

    /// <summary>Generations accepted and not yet ended (queued or running).</summary>
    public int ActiveGenerations => _active.Count;

    /// <summary>
    /// Admits one request and starts it. Refusals before acceptance throw <see cref="GenerationRejectedException"/>.
    /// <paramref name="cancellationToken"/> is the caller's: when it fires (the caller left) the generation stops.
    /// </summary>
    public async Task<GenerationStream> StartAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (IsStopping)
        {
            throw new GenerationRejectedException(RejectionKind.ShuttingDown, "the daemon is shutting down; retry on another daemon or once it is back");
        }
        if (request.RequestId.Length > Limits.MaxRequestIdLength)
        {
            throw Invalid($"request_id is {request.RequestId.Length} characters; at most {Limits.MaxRequestIdLength} are allowed");
        }
        var requested = _registry.Find(request.Model) ?? throw new GenerationRejectedException(RejectionKind.ModelNotFound,
            $"unknown model {CallerText.Quote(request.Model)}; this daemon serves: {string.Join(", ", _registry.Slots.Select(s => s.Profile.Name))}");
        var (slot, fallbackReason) = _registry.Route(requested, _pressure.Status);
        var profile = slot.Profile;
        var model = slot.Model;
        if (slot.State == ModelState.Failed)
        {
            var failure = slot.Failure!;
            throw new GenerationRejectedException(RejectionKind.ModelFailed,
                $"model '{profile.Name}' failed to load ({failure.Class.ToString().ToLowerInvariant()} failure, {failure.Kind}): {failure.Detail}; remedy: {failure.Remedy}",
                failure, slot);
        }
        if (model is null || slot.State != ModelState.Ready)
        {
            throw new GenerationRejectedException(RejectionKind.ModelLoading,
                $"model '{profile.Name}' is {slot.State.ToString().ToLowerInvariant()}; retry shortly", slot: slot);
        }

        RequestBounds bounds;
        PreparedPrompt prompt;
        try
        {
            // Everything cheap first: no tokenizing for a request that cannot be served anyway.
            CheckSize(request.Input, model, profile);
            bounds = RequestBounds.Resolve(request, profile);
            if (!slot.Queue.HasRoom)
            {
                throw QueueFull(slot);
            }
            prompt = await PrepareAsync(request.Input, model, cancellationToken);
            if (prompt.TokenCount >= model.ContextLength)
            {
                throw Invalid($"prompt is {prompt.TokenCount} tokens but the context of model '{profile.Name}' holds {model.ContextLength} " +
                    "(max_context_len), which leaves no room to generate");
            }
        }
        catch (GenerationRejectedException rejection)
        {
            throw rejection.For(slot);
        }

        var ticket = slot.Queue.TryEnter() ?? throw QueueFull(slot);
        var accepted = new RequestAccepted(request.RequestId, profile.Name, requested.Profile.Name,
            profile.Backend, ticket.Position, bounds.MaxNewTokens, prompt.TokenCount, fallbackReason, prompt.ChatTemplateApplied);
        var generation = new Generation(this, request, slot, model, prompt, bounds, ticket, accepted, ticket.EnqueuedAt, cancellationToken);
        _active[generation] = 0;
        _ = generation.Completion.ContinueWith(_ => _active.TryRemove(generation, out byte _), TaskScheduler.Default);
        return new GenerationStream(generation);
    }

    /// <summary>The events of one request (see <see cref="StartAsync"/>); leaving the loop early cancels it.</summary>
    public async IAsyncEnumerable<GenerationEvent> RunAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await StartAsync(request, cancellationToken);
        await foreach (var item in stream.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>
    /// The daemon is stopping: new requests are refused, queued ones are told at once, running ones may finish
    /// within <paramref name="grace"/> and are then ended with a final message. Returns once every generation
    /// has ended, or shortly after the grace when a backend will not stop.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        await _queuedShutdown.CancelAsync();
        var ending = Task.WhenAll(_active.Keys.Select(g => g.Completion));
        if (await Task.WhenAny(ending, Task.Delay(grace, Time, cancellationToken)) != ending)
        {
            await _runningShutdown.CancelAsync();
            // Ended generations hand over their final message at once; a backend that will not stop is not waited for.
            await Task.WhenAny(ending, Task.Delay(TimeSpan.FromSeconds(1.5), Time, cancellationToken));
        }
    }

    // The content's UTF-8 bytes against what the context could possibly hold: linear, no tokenizing.
    private void CheckSize(PromptInput input, ILoadedModel model, ModelProfile profile)
    {
        var maxMessages = Math.Min(Limits.MaxMessages, model.ContextLength);
        if (input.Messages.Count > maxMessages)
        {
            throw Invalid($"{input.Messages.Count} messages is more than the {maxMessages} a request to model '{profile.Name}' may carry");
        }
        long bytes = Encoding.UTF8.GetByteCount(input.Prompt);
        foreach (var message in input.Messages)
        {
            bytes += Encoding.UTF8.GetByteCount(message.Content);
        }
        if (bytes > model.MaxPromptBytes)
        {
            throw Invalid($"the prompt is {bytes} bytes, more than the context of model '{profile.Name}' ({model.ContextLength} tokens, " +
                $"max_context_len) can hold ({model.MaxPromptBytes} bytes at most)");
        }
    }

    private async Task<PreparedPrompt> PrepareAsync(PromptInput input, ILoadedModel model, CancellationToken cancellationToken)
    {
        await _preparation.WaitAsync(cancellationToken);
        try
        {
            return model.Prepare(input);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Invalid($"the prompt could not be prepared: {ex.Message}");
        }
        finally
        {
            _preparation.Release();
        }
    }

    private static GenerationRejectedException QueueFull(ModelSlot slot) => new(RejectionKind.QueueFull,
        $"the queue of model '{slot.Profile.Name}' is full ({slot.Profile.QueueSize} waiting, queue_size {slot.Profile.QueueSize}); retry later",
        slot: slot);

    private static GenerationRejectedException Invalid(string message) => new(RejectionKind.InvalidArgument, message);
}
