using Engram.Contract.V1;
using Engram.Inference.Health;
using Engine = Engram.Inference.Engine;
using V1 = Engram.Contract.V1;

namespace Engram.InferenceDaemon.Api;

/// <summary>Translates Health's plain snapshots to the engram.v1 <see cref="HealthReport"/>. No decisions are made here.</summary>
internal static class HealthMapping
{
    public static HealthReport ToProto(HealthSnapshot snapshot)
    {
        var report = new HealthReport
        {
            Version = snapshot.Version,
            UptimeSeconds = snapshot.Uptime.TotalSeconds,
            QueueDepth = snapshot.QueueDepth,
            DefaultModel = snapshot.DefaultModel,
            ActiveProfile = snapshot.ActiveProfile,
            UnderPressure = snapshot.UnderPressure,
            PressureReason = snapshot.PressureReason,
            ProcessResidentBytes = snapshot.ProcessResidentBytes,
            Restarts = snapshot.Restarts,
            LastCrash = snapshot.LastCrash is { } crash ? new CrashReport
            {
                RequestId = crash.Record.RequestId,
                Model = crash.Record.Model,
                Backend = crash.Record.Backend,
                Operation = crash.Record.Operation,
                At = crash.Record.At.ToString("O"),
                Signal = crash.Signal,
                Cause = crash.Cause ?? "",
            } : null,
            Platform = ToProto(snapshot.Platform),
        };
        report.Models.AddRange(snapshot.Models.Select(ToProto));
        return report;
    }

    private static ModelHealth ToProto(ModelSnapshot model) => new()
    {
        Name = model.Profile.Name,
        Backend = model.Profile.Backend,
        Path = model.Profile.ModelPath,
        State = ToProto(model.State),
        FailureClass = ToProto(model.Failure?.Class ?? Engine.FailureClass.None),
        Detail = model.Failure?.Detail ?? "",
        Remedy = model.Failure?.Remedy ?? "",
        FailureKind = model.Failure?.Kind ?? "",
        LoadMs = model.LoadTime?.TotalMilliseconds ?? 0,
        QueueDepth = model.QueueDepth,
        IsDefault = model.IsDefault,
        Description = model.Profile.Description,
        MaxContextLen = model.ContextLength,
        Generating = model.Generating,
        Artifact = ToProto(model.Artifact),
        EstimatedBytes = model.EstimatedBytes,
        Aborting = model.Releasing,
        RuntimeVersion = model.Runtime?.RuntimeVersion ?? "",
        DriverVersion = model.Runtime?.DriverVersion ?? "",
        ContextCellsInUse = model.Context?.CellsInUse ?? 0,
        ContextCellsPeak = model.Context?.PeakCells ?? 0,
        CachedSequences = model.Context?.CachedSequences ?? 0,
        KvCache = model.Profile.Backend == Engine.BackendNames.Llama ? model.Profile.KvCache.ToString() : "",
        PromptCacheSlots = model.Profile.PromptCacheSlots,
    };

    public static V1.ModelState ToProto(Engine.ModelState state) => state switch
    {
        Engine.ModelState.NotLoaded => V1.ModelState.NotLoaded,
        Engine.ModelState.Validating => V1.ModelState.Validating,
        Engine.ModelState.Loading => V1.ModelState.Loading,
        Engine.ModelState.Ready => V1.ModelState.Ready,
        Engine.ModelState.Failed => V1.ModelState.Failed,
        _ => V1.ModelState.Unspecified,
    };

    public static V1.PlatformReport ToProto(Inference.Validation.Platform.PlatformReport report)
    {
        var proto = new V1.PlatformReport { Root = report.Root };
        proto.Checks.AddRange(report.Checks.Select(c => new V1.PlatformCheck
        {
            Name = c.Name,
            Status = c.Status switch
            {
                Inference.Validation.Platform.CheckStatus.Pass => V1.CheckStatus.Pass,
                Inference.Validation.Platform.CheckStatus.Warn => V1.CheckStatus.Warn,
                _ => V1.CheckStatus.Fail,
            },
            Value = c.Value,
            Remedy = c.Remedy,
        }));
        return proto;
    }

    public static ArtifactSummary? ToProto(Engine.ArtifactFacts? facts) => facts is null ? null : new ArtifactSummary
    {
        Format = facts.Format,
        SizeBytes = facts.SizeBytes,
        Architecture = facts.Architecture ?? "",
        TargetPlatform = facts.TargetPlatform ?? "",
        Dtype = facts.Dtype ?? "",
        TargetSource = facts.TargetSource ?? "",
        ChecksumVerified = facts.ChecksumVerifiedIn is not null,
        ChecksumMs = facts.ChecksumVerifiedIn?.TotalMilliseconds ?? 0,
    };

    public static V1.FailureClass ToProto(Engine.FailureClass failureClass) => failureClass switch
    {
        Engine.FailureClass.Artifact => V1.FailureClass.Artifact,
        Engine.FailureClass.Platform => V1.FailureClass.Platform,
        Engine.FailureClass.Runtime => V1.FailureClass.Runtime,
        _ => V1.FailureClass.None,
    };
}
