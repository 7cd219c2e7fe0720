namespace Engram.Inference.Engine;

/// <summary>Which side a load failure is on: the model file, the machine, or the native runtime.</summary>
public enum FailureClass
{
    None,
    /// <summary>The model file: missing, empty, truncated, corrupt, wrong target, unsupported.</summary>
    Artifact,
    /// <summary>The machine: SoC, NPU driver, runtime library, memory.</summary>
    Platform,
    /// <summary>The native runtime: an error, a crash or a hang.</summary>
    Runtime,
}
