namespace Engram.Inference.Engine;

/// <summary>A profile's settings for the RKLLM runtime: library, ABI version, NPU domain, CPUs, penalties.</summary>
public sealed record NpuSettings(
    string? Library,
    string RuntimeVersion,
    int BaseDomainId,
    uint CpuMask,
    float RepeatPenalty,
    float FrequencyPenalty,
    float PresencePenalty)
{
    /// <summary>Where librkllmrt.so is looked for when a profile names none (the rknn-llm install locations).</summary>
    public static IReadOnlyList<string> StandardLibraryPaths { get; } =
        ["/usr/lib/librkllmrt.so", "/usr/local/lib/librkllmrt.so", "/usr/lib/aarch64-linux-gnu/librkllmrt.so"];
}
