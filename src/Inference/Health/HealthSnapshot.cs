using Engram.Inference.Engine;
using Engram.Inference.Validation.Platform;

namespace Engram.Inference.Health;

/// <summary>The daemon's state at one moment, as Health reports it: plain data, mapped to the wire by the transport.</summary>
public sealed record HealthSnapshot(
    string Version,
    TimeSpan Uptime,
    PlatformReport Platform,
    IReadOnlyList<ModelSnapshot> Models,
    int QueueDepth,
    int Restarts,
    LastCrash? LastCrash,
    string ActiveProfile,
    string DefaultModel,
    bool UnderPressure,
    string PressureReason,
    long ProcessResidentBytes);

/// <summary>One model's state: where it is in its life, why it failed, what is known about its file.</summary>
public sealed record ModelSnapshot(
    ModelProfile Profile,
    ModelState State,
    ModelFailure? Failure,
    TimeSpan? LoadTime,
    int QueueDepth,
    bool IsDefault,
    int ContextLength,
    bool Generating,
    ArtifactFacts? Artifact,
    long EstimatedBytes,
    bool Releasing,
    RuntimeFacts? Runtime,
    ContextUsage? Context);
