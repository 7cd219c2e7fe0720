namespace Engram.Inference.Engine;

/// <summary>What a generation stream carries, in order: accepted, queue updates, text deltas, finished.</summary>
public abstract record GenerationEvent;

public sealed record RequestAccepted(
    string RequestId,
    string Model,
    string RequestedModel,
    string Backend,
    int QueuePosition,
    int MaxNewTokens,
    int PromptTokens,
    string? FallbackReason = null,
    bool ChatTemplateApplied = false) : GenerationEvent;

public sealed record QueuePositionChanged(int QueuePosition, TimeSpan Waited) : GenerationEvent;

public sealed record TextDelta(string Text, int TokensSoFar) : GenerationEvent;

/// <summary>
/// The last event. When it is delivered the model's slot is already free, so the caller's next request is
/// never refused for the place this one held. <paramref name="ShuttingDown"/>: the daemon ended it as it stopped.
/// </summary>
public sealed record GenerationFinished(
    FinishReason Reason,
    GenerationTimings Timings,
    string? StopSequence = null,
    string? Error = null,
    bool ShuttingDown = false) : GenerationEvent;

public enum FinishReason
{
    Stop,
    Length,
    Cancelled,
    Deadline,
    Error,
}
