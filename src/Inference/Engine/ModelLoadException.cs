
namespace Engram.Inference.Engine;

/// <summary>A model that could not be loaded, with its class, what happened, and what the operator can do.</summary>
public sealed class ModelLoadException(ModelFailure failure, Exception? inner = null) : Exception(failure.Detail, inner)
{
    public ModelLoadException(FailureClass failureClass, string kind, string detail, string remedy, Exception? inner = null)
        : this(new ModelFailure(failureClass, kind, detail, remedy), inner)
    {
    }

    public ModelFailure Failure { get; } = failure;
}
