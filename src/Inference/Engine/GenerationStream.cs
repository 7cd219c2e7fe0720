namespace Engram.Inference.Engine;

/// <summary>
/// An accepted request's events, for its one reader (a transport, the bench, a test): <see cref="RequestAccepted"/>
/// first, then queue updates, text deltas and one <see cref="GenerationFinished"/>. Disposing it before the end
/// means the caller left: the generation stops and frees its model.
/// </summary>
public sealed class GenerationStream : IAsyncDisposable
{
    private readonly Generation _generation;

    internal GenerationStream(Generation generation) => _generation = generation;

    /// <summary>
    /// Fires when the engine gave up on the reader (it stopped taking events for longer than the write-stall
    /// limit, or held them past the request timeout). Nothing more will come; the transport should end the call.
    /// </summary>
    public CancellationToken Abandoned => _generation.Abandoned;

    public IAsyncEnumerable<GenerationEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _generation.Events.ReadAllAsync(cancellationToken);

    /// <summary>Completes when the generation has ended and handed over its last event (its model may still be stopping).</summary>
    public Task Completion => _generation.Completion;

    public ValueTask DisposeAsync()
    {
        _generation.CallerLeft();
        return ValueTask.CompletedTask;
    }
}
