using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>
/// Runs every platform check against one root. Checks that only the NPU needs are reported as warnings,
/// not failures, when no profile uses the rkllm backend: a CPU-only daemon on a laptop is not broken.
/// </summary>
public sealed class PlatformProbe(PlatformRoot root, IReadOnlyList<IPlatformCheck> checks)
{
    public PlatformRoot Root { get; } = root;

    public static PlatformProbe Create(string rootPath, IReadOnlyList<string> rkllmLibraries) => new(new PlatformRoot(rootPath),
    [
        new SocCheck(), new NpuDriverCheck(), new RkllmRuntimeCheck(rkllmLibraries),
        new GovernorCheck(), new MemoryCheck(), new ThermalCheck(), new BigCoreCheck(),
    ]);

    public PlatformReport Run(bool npuRequired) => new(Root.Path, checks.Select(check =>
    {
        var result = check.Run(Root);
        return check.NpuOnly && !npuRequired && result.Status == CheckStatus.Fail
            ? result with { Status = CheckStatus.Warn, Remedy = "only the rkllm (NPU) backend needs this; " + result.Remedy }
            : result;
    }).ToArray());
}
