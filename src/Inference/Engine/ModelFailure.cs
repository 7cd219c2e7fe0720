namespace Engram.Inference.Engine;

/// <summary>
/// Why a model cannot be served, classified before anyone blames the NPU: the class, a short kind
/// (<c>empty</c>, <c>truncated</c>, <c>wrong_target</c>, <c>driver_too_old</c>...), what was seen, and the fix.
/// </summary>
public sealed record ModelFailure(FailureClass Class, string Kind, string Detail, string Remedy)
{
    public override string ToString() => $"{Class.ToString().ToLowerInvariant()}/{Kind}: {Detail}";
}
