using System.Reflection;
using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;

namespace Engram.Inference.Health;

/// <summary>Takes <see cref="HealthSnapshot"/>s of the live state of the daemon and its models.</summary>
public sealed class HealthReporter(ModelRegistry registry, PlatformState platform, PressureState pressure, CrashHistory crashes, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();

    /// <summary>The build's version (without source-control metadata).</summary>
    public static string Version { get; } =
        typeof(HealthReporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public HealthSnapshot Snapshot()
    {
        var status = pressure.Status;
        var models = registry.Slots.Select(slot => new ModelSnapshot(
            slot.Profile,
            slot.State,
            slot.Failure,
            slot.LoadTime,
            slot.Queue.Depth,
            slot == registry.Default,
            slot.Model?.ContextLength ?? slot.Profile.MaxContextLen,
            slot.Queue.IsBusy,
            slot.Artifact,
            slot.EstimatedBytes,
            slot.Releasing,
            slot.Model?.Runtime)).ToArray();
        return new HealthSnapshot(Version, time.GetElapsedTime(_startedAt), platform.Report, models, registry.QueueDepth, crashes.Restarts,
            crashes.LastCrash, registry.ActiveProfile(status), registry.Default.Profile.Name, status.UnderPressure, status.Reason);
    }
}
