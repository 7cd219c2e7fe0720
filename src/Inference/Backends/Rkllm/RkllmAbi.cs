using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>The struct layouts Engram binds. A runtime is mapped to one of these, or refused: a wrong layout corrupts memory.</summary>
public enum RkllmAbi
{
    /// <summary>Runtime 1.2.1, 1.2.2 and 1.2.3.</summary>
    V1_2,
    /// <summary>Runtime 1.3.0.</summary>
    V1_3,
}

public static class RkllmAbiVersions
{
    public const string Supported = "1.2.1, 1.2.2, 1.2.3 and 1.3.0";

    /// <summary>The ABI of a runtime version string, or null for a version whose layout is not known to be one of ours.</summary>
    public static RkllmAbi? Of(string version) => version.Trim() switch
    {
        "1.2.1" or "1.2.2" or "1.2.3" => RkllmAbi.V1_2,
        "1.3.0" => RkllmAbi.V1_3,
        _ => null,
    };
}
