using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>
/// Whether the RKLLM runtime library is installed. Its version is only known once it loads (it prints
/// <c>rkllm-runtime version: X</c> at init), so that is confirmed by the rkllm backend.
/// </summary>
public sealed class RkllmRuntimeCheck(IReadOnlyList<string> configuredPaths) : IPlatformCheck
{
    public const string CheckName = "rkllm_runtime";

    public string Name => CheckName;
    public bool NpuOnly => true;

    public PlatformCheck Run(PlatformRoot root)
    {
        foreach (var path in configuredPaths)
        {
            if (File.Exists(path))
            {
                return PlatformCheck.Pass(Name, $"{path} (version confirmed at load)");
            }
        }
        var found = NpuSettings.StandardLibraryPaths.FirstOrDefault(root.Exists);
        if (found is not null)
        {
            return PlatformCheck.Pass(Name, $"{found} (version confirmed at load)");
        }
        var looked = string.Join(", ", configuredPaths.Concat(NpuSettings.StandardLibraryPaths));
        return PlatformCheck.Fail(Name, $"librkllmrt.so not found (looked in {looked})",
            "install librkllmrt.so 1.2.1-1.2.3 or 1.3.0 from rknn-llm to /usr/lib, or set the profile's rkllm_lib");
    }
}
