namespace Engram.Inference.Engine;

/// <summary>What could be learnt about a model file without native code.</summary>
public sealed record ArtifactFacts
{
    public required string Format { get; init; }
    public required long SizeBytes { get; init; }
    public string? Architecture { get; init; }
    /// <summary>For .rkllm: the chip it was converted for (RK3588...), and where that came from.</summary>
    public string? TargetPlatform { get; init; }
    public string? Dtype { get; init; }
    public string? TargetSource { get; init; }
    /// <summary>Set when a sidecar checksum was verified, with how long that took.</summary>
    public TimeSpan? ChecksumVerifiedIn { get; init; }
    /// <summary>For GGUF: the elements of K (and as many of V) the KV cache holds per token of context, all layers (0 when unknown).</summary>
    public long KvElementsPerToken { get; init; }
    /// <summary>For GGUF: the width of one attention head (a quantized KV cache needs it to be a multiple of its block).</summary>
    public long HeadSize { get; init; }
}
