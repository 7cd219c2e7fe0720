using System.Runtime.InteropServices;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends;

/// <summary>
/// Pins threads to sets of CPUs (Linux <c>sched_setaffinity</c>). Threads inherit their creator's mask, so
/// pinning a model's native thread before its first engine call pins the compute threads llama.cpp starts from
/// it, and nothing else in the process.
/// </summary>
internal static partial class CpuPinning
{
    private const int MaskBytes = (CpuAffinity.MaxCpu + 1) / 8;

    /// <summary>Pins the calling thread; throws <see cref="ModelLoadException"/> when the machine lacks one of the CPUs.</summary>
    public static void PinCurrentThread(IReadOnlyList<int> cpus)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw Refused(cpus, "CPU pinning is only implemented on Linux");
        }
        if (!TryPinThread(0, cpus))
        {
            throw Refused(cpus, $"sched_setaffinity failed (errno {Marshal.GetLastPInvokeError()}): none of these CPUs is online and allowed");
        }
        // The kernel keeps the CPUs it has and silently drops the rest: read the mask back.
        var actual = ThreadCpus(0) ?? throw Refused(cpus, $"sched_getaffinity failed (errno {Marshal.GetLastPInvokeError()})");
        var missing = cpus.Except(actual).ToArray();
        if (missing.Length > 0)
        {
            throw Refused(cpus, $"this machine has no usable cpu{CpuAffinity.Describe(missing)} (it has {Environment.ProcessorCount} CPUs)");
        }
    }

    /// <summary>The CPUs a thread of this process (0: the calling one) may run on; null when it has ended.</summary>
    public static unsafe IReadOnlyList<int>? ThreadCpus(int threadId)
    {
        var mask = stackalloc byte[MaskBytes];
        if (SchedGetAffinity(threadId, MaskBytes, mask) < 0)
        {
            return null;
        }
        var cpus = new List<int>();
        for (var cpu = 0; cpu <= CpuAffinity.MaxCpu; cpu++)
        {
            if ((mask[cpu / 8] & (1 << (cpu % 8))) != 0)
            {
                cpus.Add(cpu);
            }
        }
        return cpus;
    }

    /// <summary>Moves a thread of this process (0: the calling one) to <paramref name="cpus"/>; false when it has ended meanwhile or the kernel refused.</summary>
    public static unsafe bool TryPinThread(int threadId, IReadOnlyList<int> cpus)
    {
        var mask = stackalloc byte[MaskBytes];
        Fill(new Span<byte>(mask, MaskBytes), cpus);
        return SchedSetAffinity(threadId, MaskBytes, mask) == 0;
    }

    private static void Fill(Span<byte> mask, IReadOnlyList<int> cpus)
    {
        mask.Clear();
        foreach (var cpu in cpus)
        {
            mask[cpu / 8] |= (byte)(1 << (cpu % 8));
        }
    }

    private static ModelLoadException Refused(IReadOnlyList<int> cpus, string reason) =>
        new(FailureClass.Platform, "cpu_affinity", $"cannot pin the engine's threads to cpu_affinity {CpuAffinity.Describe(cpus)}: {reason}",
            "set cpu_affinity to CPUs this machine has (see /sys/devices/system/cpu/online), or to auto");

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nint size, byte* mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static unsafe partial int SchedGetAffinity(int pid, nint size, byte* mask);
}
