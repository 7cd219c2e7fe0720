namespace Engram.Inference.Engine;

/// <summary>
/// Where the daemon's own threads (gRPC and HTTP, the thread pool, timers, logging) run, setting
/// <c>daemon_cpu_affinity</c>. When every engine is pinned and CPUs are left over (llama.cpp on the four big
/// cores of an RK3588), <c>auto</c> keeps the daemon's threads on those, so a token's hand-offs never take a
/// core from a compute thread in the middle of a step, where every other compute thread waits at the barrier.
/// </summary>
public static class DaemonThreadCpus
{
    /// <summary>
    /// The CPUs for the daemon's own threads, or null to leave them where the process put them: for <c>none</c>,
    /// and for <c>auto</c> when an engine may run on any CPU or the engines take every CPU the process may use.
    /// </summary>
    /// <param name="setting">auto, none or a list.</param>
    /// <param name="engineCpus">Each model's engine CPUs on this machine (null: unpinned).</param>
    /// <param name="allowed">The CPUs the process was started on (its affinity: systemd's <c>CPUAffinity=</c>, taskset).</param>
    public static IReadOnlyList<int>? Plan(CpuAffinity setting, IReadOnlyList<IReadOnlyList<int>?> engineCpus, IReadOnlyList<int> allowed)
    {
        if (setting.Cpus is { } listed)
        {
            return listed.Count > 0 ? listed : null;
        }
        if (engineCpus.Count == 0 || engineCpus.Any(cpus => cpus is null))
        {
            return null;
        }
        var taken = engineCpus.SelectMany(cpus => cpus!).ToHashSet();
        var free = allowed.Where(cpu => !taken.Contains(cpu)).Order().ToArray();
        // The engines may take none of the process's CPUs (systemd's CPUAffinity=0-3, the engine pinned to 4-7): threads
        // the engine thread starts still inherit its CPUs, and still need moving.
        return free.Length > 0 ? free : null;
    }
}
