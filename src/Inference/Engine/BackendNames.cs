namespace Engram.Inference.Engine;

/// <summary>The names profiles use in <c>backend</c>; one place, so a typo is a compile error, not a silent mismatch.</summary>
public static class BackendNames
{
    /// <summary>llama.cpp on the CPU (LLamaSharp).</summary>
    public const string Llama = "llama";

    /// <summary>Rockchip's RKLLM runtime on the RK3588 NPU.</summary>
    public const string Rkllm = "rkllm";

    public static IReadOnlyList<string> All { get; } = [Llama, Rkllm];

    public static bool IsKnown(string? name) => All.Contains(name, StringComparer.OrdinalIgnoreCase);
}
