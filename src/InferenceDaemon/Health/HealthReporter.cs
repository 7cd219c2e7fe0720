using System.Reflection;
using Engram.Contract.V1;
using Engram.InferenceDaemon.Api;
using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Engine.Pressure;

namespace Engram.InferenceDaemon.Health;

/// <summary>Builds the daemon's <see cref="HealthReport"/> from the live state of its models.</summary>
internal sealed class HealthReporter(ModelRegistry registry, PlatformState platform, PressureState pressure, CrashHistory crashes, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();

    public static string Version { get; } =
        typeof(HealthReporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public HealthReport Report()
    {
        var report = new HealthReport
        {
            Version = Version,
            UptimeSeconds = time.GetElapsedTime(_startedAt).TotalSeconds,
            QueueDepth = registry.QueueDepth,
            DefaultModel = registry.Default.Profile.Name,
            ActiveProfile = registry.ActiveProfile(pressure.Status),
            UnderPressure = pressure.Status.UnderPressure,
            PressureReason = pressure.Status.Reason,
            Restarts = crashes.Restarts,
            LastCrash = crashes.LastCrash is { } crash ? new CrashReport
            {
                RequestId = crash.Record.RequestId,
                Model = crash.Record.Model,
                Backend = crash.Record.Backend,
                Operation = crash.Record.Operation,
                At = crash.Record.At.ToString("O"),
                Signal = crash.Signal,
            } : null,
            Platform = ProtoMapping.ToProto(platform.Report),
        };
        foreach (var slot in registry.Slots)
        {
            var profile = slot.Profile;
            report.Models.Add(new ModelHealth
            {
                Name = profile.Name,
                Backend = profile.Backend,
                Path = profile.ModelPath,
                State = ProtoMapping.ToProto(slot.State),
                FailureClass = ProtoMapping.ToProto(slot.FailureClass),
                Detail = slot.Detail,
                Remedy = slot.Remedy,
                LoadMs = slot.LoadTime?.TotalMilliseconds ?? 0,
                QueueDepth = slot.Queue.Depth,
                IsDefault = slot == registry.Default,
                Description = profile.Description,
                MaxContextLen = slot.Model?.ContextLength ?? profile.MaxContextLen,
                Generating = slot.Queue.IsBusy,
                FailureKind = slot.Failure?.Kind ?? "",
                Artifact = ProtoMapping.ToProto(slot.Artifact),
                EstimatedBytes = slot.EstimatedBytes,
                Aborting = slot.Releasing,
            });
        }
        return report;
    }
}
