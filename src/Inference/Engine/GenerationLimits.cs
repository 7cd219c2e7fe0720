namespace Engram.Inference.Engine;

/// <summary>
/// The engine's bounds that are not per profile: how long a reader may stall, how much work a request may
/// cost before it is admitted, how long a backend gets to stop. Every wait the engine does is bounded by one.
/// </summary>
public sealed record GenerationLimits
{
    public const int DefaultMaxMessages = 1024;
    public const int DefaultMaxRequestIdLength = 128;

    /// <summary>A reader that takes nothing for this long loses its generation (finish reason cancelled) and frees the model.</summary>
    public TimeSpan WriteStallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Chat messages a request may carry (also never more than the context has tokens).</summary>
    public int MaxMessages { get; init; } = DefaultMaxMessages;

    /// <summary>Longest caller-chosen request id.</summary>
    public int MaxRequestIdLength { get; init; } = DefaultMaxRequestIdLength;

    /// <summary>Requests tokenized at once (after the cheap size checks); the others wait their turn.</summary>
    public int PreparationConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How long a backend gets to stop (an NPU abort is slow) before the caller is told anyway.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static GenerationLimits Default { get; } = new();
}
