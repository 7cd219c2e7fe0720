namespace Engram.Contract.V1;

/// <summary>
/// The trailers a refusal carries (part of the engram.v1 contract): clients decide from these, never from the
/// status message, which is written for people.
/// </summary>
public static class RefusalTrailers
{
    /// <summary>Why the daemon refused (one of <see cref="RefusalReasons"/>); absent when the refusal is not the engine's own.</summary>
    public const string Reason = "engram-refusal";

    /// <summary>The state of the model the request was for: <c>validating</c>, <c>loading</c>, <c>ready</c>, <c>failed</c>, <c>not_loaded</c>.</summary>
    public const string ModelState = "engram-model-state";

    /// <summary>For a model that failed: <c>artifact</c>, <c>platform</c> or <c>runtime</c>.</summary>
    public const string FailureClass = "engram-failure-class";

    /// <summary>For a model that failed: the kind within the class (<c>empty</c>, <c>wrong_target</c>, <c>crashed_during_load</c>...).</summary>
    public const string FailureKind = "engram-failure-kind";
}

/// <summary>The values of <see cref="RefusalTrailers.Reason"/>.</summary>
public static class RefusalReasons
{
    /// <summary>The model's queue is full (RESOURCE_EXHAUSTED): back-pressure, retry later.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The model is validating or loading (UNAVAILABLE): retry shortly.</summary>
    public const string ModelLoading = "model_loading";

    /// <summary>The model failed validation or loading (FAILED_PRECONDITION): retrying will not help until the operator acts.</summary>
    public const string ModelFailed = "model_failed";

    /// <summary>The daemon is stopping (UNAVAILABLE): retry, on another daemon where there is one.</summary>
    public const string ShuttingDown = "shutting_down";

    /// <summary>The request is invalid (INVALID_ARGUMENT): retrying it cannot help.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>No profile of that name (NOT_FOUND).</summary>
    public const string ModelNotFound = "model_not_found";
}
