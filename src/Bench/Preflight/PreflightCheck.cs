using Engram.Inference.Validation.Platform;

namespace Engram.Bench.Preflight;

/// <summary>
/// Reads the machine before (and during) a benchmark from a platform root (<c>/</c> on the board): governors
/// per cluster, CPU / DDR / NPU frequencies where readable, free memory, temperatures; and warns about
/// every setting that makes numbers unreliable.
/// </summary>
public sealed class PreflightCheck(string root)
{
    private readonly PlatformRoot _root = new(root);
    private readonly List<TemperatureReading> _temperatures = [];

    // Where RK3588 devfreq nodes report their current frequency (Hz).
    private static readonly (string Name, string Path)[] DevfreqNodes =
    [
        ("ddr", "/sys/class/devfreq/dmc/cur_freq"),
        ("npu", "/sys/class/devfreq/fdab0000.npu/cur_freq"),
    ];

    public void RecordTemperature(string target)
    {
        var zones = ThermalCheck.Read(_root);
        if (zones.Count > 0)
        {
            _temperatures.Add(new TemperatureReading(target, zones.Max(z => z.Celsius)));
        }
    }

    public EnvironmentRecord Record(IEnumerable<string> targetPlatformLines)
    {
        var warnings = new List<string>();
        var governors = new Dictionary<string, string>();
        var frequencies = new Dictionary<string, string>();
        foreach (var policy in _root.Directories("/sys/devices/system/cpu/cpufreq", "policy"))
        {
            var governor = _root.ReadText($"/sys/devices/system/cpu/cpufreq/{policy}/scaling_governor")?.Trim();
            if (governor is not null)
            {
                governors[policy] = governor;
                if (governor != "performance")
                {
                    warnings.Add($"{policy} governor is '{governor}', not 'performance': frequencies will wander between runs");
                }
            }
            if (_root.ReadText($"/sys/devices/system/cpu/cpufreq/{policy}/scaling_cur_freq")?.Trim() is { } khz && long.TryParse(khz, out var k))
            {
                frequencies[policy] = $"{k / 1000} MHz";
            }
        }
        foreach (var (name, path) in DevfreqNodes)
        {
            if (_root.ReadText(path)?.Trim() is { } hz && long.TryParse(hz, out var h))
            {
                frequencies[name] = $"{h / 1_000_000} MHz";
            }
        }
        var available = MemoryCheck.AvailableBytes(_root) is { } bytes ? bytes / 1048576 : (long?)null;
        if (available is < 1024)
        {
            warnings.Add($"only {available} MiB of memory available: the models may swap or be evicted from the page cache");
        }
        var hottest = ThermalCheck.Read(_root).Select(z => z.Celsius).DefaultIfEmpty(0).Max();
        if (hottest >= ThermalCheck.WarnCelsius)
        {
            warnings.Add($"the SoC is at {hottest:0.0} C: it throttles, and later runs will be slower");
        }
        warnings.AddRange(targetPlatformLines.Where(l => l.Contains(": warn", StringComparison.Ordinal) || l.Contains(": fail", StringComparison.Ordinal))
            .Select(l => "target platform check " + l));
        return new EnvironmentRecord(_root.Path, governors, frequencies, available, warnings, _temperatures);
    }

    /// <summary><c>--drop-caches</c>: echo 3 &gt; /proc/sys/vm/drop_caches, which only root may do.</summary>
    public static void DropCaches()
    {
        if (Environment.UserName != "root")
        {
            throw new UserFacingException("--drop-caches needs root (it writes /proc/sys/vm/drop_caches): run with sudo, or leave it out");
        }
        File.WriteAllText("/proc/sys/vm/drop_caches", "3\n");
    }
}
