using System.Reflection;
using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;
using Engram.Inference.Validation.Platform;

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
            slot.Model?.Runtime,
            slot.Model?.Context)).ToArray();
        return new HealthSnapshot(Version, time.GetElapsedTime(_startedAt), WithRuntimeVersions(platform.Report, models), models,
            registry.QueueDepth, crashes.Restarts, crashes.LastCrash, registry.ActiveProfile(status), registry.Default.Profile.Name,
            status.UnderPressure, status.Reason, ProcessMemory.ResidentBytes());
    }

    // The runtime library check can only say a file is there; once a model loaded, the runtime has said which version it is.
    private static PlatformReport WithRuntimeVersions(PlatformReport report, IReadOnlyList<ModelSnapshot> models)
    {
        var reported = models.Where(m => m.Profile.Backend == BackendNames.Rkllm && m.Runtime?.RuntimeVersion is not null)
            .Select(m => $"runtime {m.Runtime!.RuntimeVersion}, rknpu driver {m.Runtime.DriverVersion ?? "unknown"} (reported by the runtime loading {m.Profile.Name})")
            .Distinct().ToArray();
        if (reported.Length == 0 || report.Find(RkllmRuntimeCheck.CheckName) is not { } check)
        {
            return report;
        }
        var value = check.Value.Replace(" (version confirmed at load)", "", StringComparison.Ordinal) + ": " + string.Join("; ", reported);
        return report with { Checks = report.Checks.Select(c => c == check ? c with { Value = value } : c).ToArray() };
    }
}
