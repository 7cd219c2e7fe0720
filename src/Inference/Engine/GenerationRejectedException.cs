namespace Engram.Inference.Engine;

/// <summary>Why a request was refused before it started; the transport maps each to a status code.</summary>
public enum RejectionKind
{
    InvalidArgument,
    ModelNotFound,
    ModelFailed,
    ModelUnavailable,
    QueueFull,
}

/// <summary>A request refused before generation started, with a message written for the caller.</summary>
public sealed class GenerationRejectedException(RejectionKind kind, string message, ModelFailure? failure = null)
    : Exception(message)
{
    public RejectionKind Kind { get; } = kind;

    /// <summary>For a model that failed validation or loading: the classified failure.</summary>
    public ModelFailure? Failure { get; } = failure;
}
