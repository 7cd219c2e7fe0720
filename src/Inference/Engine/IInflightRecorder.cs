namespace Engram.Inference.Engine;

/// <summary>Native work about to run: what, for which request, on which model and file.</summary>
public sealed record InflightOperation(string Operation, string RequestId, ModelProfile Profile);

/// <summary>
/// Records what is about to run in native code before it runs, and forgets it once it returned: a record
/// still present at the next start names what the process died in. The engine calls it; Health keeps it.
/// </summary>
public interface IInflightRecorder
{
    /// <summary>Records the operation; disposing the result removes the record.</summary>
    IDisposable Enter(InflightOperation operation);
}
