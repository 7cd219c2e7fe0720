namespace Engram.Inference.Engine;

/// <summary>Why a request was refused before it started; the transport maps each to a status code and a refusal reason.</summary>
public enum RejectionKind
{
    /// <summary>The request itself is wrong (empty, too long, out of range): retrying it cannot help.</summary>
    InvalidArgument,
    ModelNotFound,
    /// <summary>The model failed validation or loading; its failure class says why.</summary>
    ModelFailed,
    /// <summary>The model is validating or loading (or not loaded yet): retry shortly.</summary>
    ModelLoading,
    /// <summary>The model's queue is full: back-pressure, retry later.</summary>
    QueueFull,
    /// <summary>The daemon is stopping: retry, on another daemon where there is one.</summary>
    ShuttingDown,
}

/// <summary>A request refused before generation started, with a message written for the caller.</summary>
public sealed class GenerationRejectedException(RejectionKind kind, string message, ModelFailure? failure = null, ModelSlot? slot = null)
    : Exception(message)
{
    public RejectionKind Kind { get; } = kind;

    /// <summary>For a model that failed validation or loading: the classified failure.</summary>
    public ModelFailure? Failure { get; } = failure;

    /// <summary>The configured profile the request was for, when it named one (never the caller's raw text).</summary>
    public string? Profile { get; } = slot?.Profile.Name;

    /// <summary>That profile's state when the request was refused.</summary>
    public ModelState? ModelState { get; } = slot?.State;

    /// <summary>The same refusal, naming the profile it concerns (for refusals raised before the profile was known).</summary>
    public GenerationRejectedException For(ModelSlot slot) => Profile is null ? new(Kind, Message, Failure, slot) : this;
}
