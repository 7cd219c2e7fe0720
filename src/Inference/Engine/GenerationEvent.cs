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
    string? FallbackReason = null) : GenerationEvent;

public sealed record QueuePositionChanged(int QueuePosition, TimeSpan Waited) : GenerationEvent;

public sealed record TextDelta(string Text, int TokensSoFar) : GenerationEvent;

public sealed record GenerationFinished(
    FinishReason Reason,
    GenerationTimings Timings,
    string? StopSequence = null,
    string? Error = null) : GenerationEvent;

public enum FinishReason
{
    Stop,
    Length,
    Cancelled,
    Deadline,
    Error,
}
