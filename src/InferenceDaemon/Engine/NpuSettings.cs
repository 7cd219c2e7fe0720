namespace Engram.InferenceDaemon.Engine;

/// <summary>A profile's settings for the RKLLM runtime: library, ABI version, NPU domain, CPUs, penalties.</summary>
public sealed record NpuSettings(
    string? Library,
    string RuntimeVersion,
    int BaseDomainId,
    uint CpuMask,
    float RepeatPenalty,
    float FrequencyPenalty,
    float PresencePenalty);
