using System.Globalization;
using Engram.Inference.Backends;
using Engram.Inference.Engine;
using Microsoft.Extensions.Hosting;

namespace Engram.Inference.Lifecycle;

/// <summary>
/// Keeps the process's own threads on the CPUs <see cref="DaemonThreadCpus"/> plans for them, once the models are
/// loaded (each engine thread has pinned itself and named the threads it starts). A thread inherits its creator's
/// CPUs, and the engine thread creates some that are not the engine's (a pool thread started when it hands over a
/// token), so every thread is looked at again on each pass; only engine threads, known by name, are left alone.
/// </summary>
internal sealed class DaemonThreadPlacement(
    InferenceEngineOptions options,
    ModelRegistry registry,
    IEnumerable<IInferenceBackend> backends,
    TimeProvider time,
    ILogger<DaemonThreadPlacement> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux() || CpuPinning.ThreadCpus(0) is not { } allowed)
        {
            return;
        }
        var engines = registry.Slots.Select(slot => backends.For(slot.Profile).EngineCpus(slot.Profile)).ToArray();
        if (DaemonThreadCpus.Plan(options.DaemonCpuAffinity, engines, allowed) is not { } planned)
        {
            return;
        }
        // The kernel drops CPUs that are not online from a mask; compare threads against what it will keep.
        var daemonCpus = OnlineCpus() is { } online ? planned.Where(online.Contains).ToArray() : planned;
        var described = CpuAffinity.Describe(planned);
        if (daemonCpus.Count == 0)
        {
            LifecycleLog.DaemonThreadsRefused(logger, described);
            return;
        }
        var placed = false;
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            // Engine threads pin themselves while loading; a thread looked at before it has its name could be moved
            // off the engine's CPUs after pinning itself, so nothing moves until every model is loaded or failed.
            if (!placed && registry.Slots.Any(slot => slot.State is ModelState.NotLoaded or ModelState.Validating or ModelState.Loading))
            {
                continue;
            }
            if (!placed)
            {
                // A listed daemon_cpu_affinity may go with engines that are not pinned at all.
                var engineCpus = engines.Any(cpus => cpus is null) ? [] : engines.SelectMany(cpus => cpus!).Distinct().Order().ToArray();
                LifecycleLog.DaemonThreadsPlaced(logger, described, engineCpus.Length > 0 ? $"cpu{CpuAffinity.Describe(engineCpus)}" : "any CPU",
                    options.DaemonCpuAffinity.Text);
                placed = true;
            }
            int moved, refused;
            try
            {
                (moved, refused) = MoveThreads(daemonCpus);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Placement is an optimisation: a /proc the daemon cannot read (a hardened container) must not stop it.
                LifecycleLog.DaemonThreadsUnplaced(logger, ex.Message);
                return;
            }
            if (refused > 0)
            {
                // A listed CPU the machine does not have online: the threads stay where they are, and the operator is told once.
                LifecycleLog.DaemonThreadsRefused(logger, described);
                return;
            }
            if (moved > 0)
            {
                LifecycleLog.DaemonThreadsMoved(logger, moved, described);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    private static IReadOnlyList<int>? OnlineCpus()
    {
        try
        {
            return CpuAffinity.TryParse(File.ReadAllText("/sys/devices/system/cpu/online"), out var online, out _) ? online.Cpus : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Moves every thread of the process that is not an engine's and not yet on <paramref name="cpus"/>.</summary>
    private static (int Moved, int Refused) MoveThreads(IReadOnlyList<int> cpus)
    {
        var (moved, refused) = (0, 0);
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var threadId))
            {
                continue;
            }
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue; // the thread has ended
            }
            if (NativeWorkerThread.IsEngineThread(name) || CpuPinning.ThreadCpus(threadId) is not { } current || current.SequenceEqual(cpus))
            {
                continue;
            }
            if (CpuPinning.TryPinThread(threadId, cpus))
            {
                moved++;
            }
            else if (CpuPinning.ThreadCpus(threadId) is not null)
            {
                refused++; // still there, so not a thread that ended meanwhile
            }
        }
        return (moved, refused);
    }
}
