using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>One fact about the machine, read from a <see cref="PlatformRoot"/>.</summary>
public interface IPlatformCheck
{
    string Name { get; }

    /// <summary>True for checks only the NPU (rkllm) backend depends on.</summary>
    bool NpuOnly { get; }

    PlatformCheck Run(PlatformRoot root);
}
