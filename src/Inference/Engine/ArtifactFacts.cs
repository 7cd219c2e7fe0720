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
    /// <summary>For GGUF: the bytes the KV cache needs per token of context (0 when unknown).</summary>
    public long KvBytesPerToken { get; init; }
}
