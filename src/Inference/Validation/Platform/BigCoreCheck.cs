using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>Which CPUs are the big cores (highest maximum frequency): on an RK3588 the four A76s, cpu4-7.</summary>
public sealed class BigCoreCheck : IPlatformCheck
{
    public const string CheckName = "big_cores";

    public string Name => CheckName;
    public bool NpuOnly => false;

    public PlatformCheck Run(PlatformRoot root)
    {
        var cores = BigCores(root);
        return cores.Count == 0
            ? PlatformCheck.Pass(Name, "unknown (no cpufreq)")
            : PlatformCheck.Pass(Name, $"cpu{string.Join(",", cores)}");
    }

    public static IReadOnlyList<int> BigCores(PlatformRoot root)
    {
        var frequencies = root.Directories("/sys/devices/system/cpu", "cpu")
            .Where(c => int.TryParse(c[3..], out _))
            .Select(c => (Cpu: int.Parse(c[3..]), Max: long.TryParse(root.ReadText($"/sys/devices/system/cpu/{c}/cpufreq/cpuinfo_max_freq")?.Trim(), out var f) ? f : 0))
            .Where(c => c.Max > 0)
            .ToArray();
        if (frequencies.Length == 0)
        {
            return [];
        }
        var top = frequencies.Max(c => c.Max);
        return frequencies.Where(c => c.Max == top).Select(c => c.Cpu).Order().ToArray();
    }
}
