using Engram.InferenceDaemon.Validation;

namespace Engram.InferenceDaemon.Backends;

/// <summary>A model that could not be loaded, with its class, what happened, and what the operator can do.</summary>
public sealed class ModelLoadException(FailureClass failureClass, string detail, string remedy, Exception? inner = null)
    : Exception(detail, inner)
{
    public FailureClass FailureClass { get; } = failureClass;
    public string Remedy { get; } = remedy;
}
