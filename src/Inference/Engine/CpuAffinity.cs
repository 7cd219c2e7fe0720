using System.Globalization;

namespace Engram.Inference.Engine;

/// <summary>
/// Which CPUs a model's engine threads may run on (llama backend, setting <c>cpu_affinity</c>): <c>auto</c> pins them
/// to the big cores when the machine has big and little ones (cpu4-7 on an RK3588, where a decode step spread over
/// big and little cores waits for the little ones at every barrier), <c>none</c> leaves them to the scheduler, and
/// a list such as <c>4-7</c> or <c>0,2-3</c> names them.
/// </summary>
public sealed record CpuAffinity
{
    public const int MaxCpu = 1023;

    private CpuAffinity(string text, IReadOnlyList<int>? cpus) => (Text, Cpus) = (text, cpus);

    public static CpuAffinity Auto { get; } = new("auto", null);

    public static CpuAffinity None { get; } = new("none", []);

    /// <summary>The CPUs a list names, in order; null for auto, empty for none.</summary>
    public IReadOnlyList<int>? Cpus { get; }

    public string Text { get; }

    public static bool TryParse(string? text, out CpuAffinity affinity, out string error)
    {
        (affinity, error) = (Auto, "");
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            affinity = None;
            return true;
        }
        var cpus = new SortedSet<int>();
        foreach (var part in trimmed.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2 || !TryCpu(range[0], out var first) || !TryCpu(range[^1], out var last) || last < first)
            {
                error = $"'{text}' is not auto, none or a CPU list such as 4-7 or 0,2-3 (CPUs 0 to {MaxCpu})";
                return false;
            }
            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }
        affinity = new CpuAffinity(Describe(cpus.ToArray()), cpus.ToArray());
        return true;
    }

    /// <summary>
    /// The CPUs to pin to on this machine, or null to leave the threads unpinned. Auto pins to the big cores only when
    /// some cores are slower and the requested thread count (0: one per big core) fits on the big ones.
    /// </summary>
    public IReadOnlyList<int>? Resolve(IReadOnlyList<int> bigCores, int processorCount, int threads) => Cpus switch
    {
        null when bigCores.Count > 0 && bigCores.Count < processorCount && threads <= bigCores.Count => bigCores,
        null => null,
        [] => null,
        var cpus => cpus,
    };

    /// <summary>CPU numbers as Linux lists them: 4-7, or 0,2-3.</summary>
    public static string Describe(IReadOnlyList<int> cpus)
    {
        var parts = new List<string>();
        for (var i = 0; i < cpus.Count;)
        {
            var start = i;
            while (i + 1 < cpus.Count && cpus[i + 1] == cpus[i] + 1)
            {
                i++;
            }
            parts.Add(i == start ? $"{cpus[start]}" : $"{cpus[start]}-{cpus[i]}");
            i++;
        }
        return string.Join(',', parts);
    }

    public override string ToString() => Text;

    private static bool TryCpu(string text, out int cpu) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out cpu) && cpu <= MaxCpu;
}
