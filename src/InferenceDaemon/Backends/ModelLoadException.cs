using Engram.InferenceDaemon.Validation;

namespace Engram.InferenceDaemon.Backends;

/// <summary>A model that could not be loaded, with its class, what happened, and what the operator can do.</summary>
public sealed class ModelLoadException(ValidationFailure failure, Exception? inner = null) : Exception(failure.Detail, inner)
{
    public ModelLoadException(FailureClass failureClass, string kind, string detail, string remedy, Exception? inner = null)
        : this(new ValidationFailure(failureClass, kind, detail, remedy), inner)
    {
    }

    public ValidationFailure Failure { get; } = failure;
}
