using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>The CPU frequency governor of every cluster; anything but <c>performance</c> slows and destabilises decode.</summary>
public sealed class GovernorCheck : IPlatformCheck
{
    public const string CheckName = "cpu_governor";

    public string Name => CheckName;
    public bool NpuOnly => false;

    public PlatformCheck Run(PlatformRoot root)
    {
        var policies = root.Directories("/sys/devices/system/cpu/cpufreq", "policy")
            .Select(p => (Policy: p, Governor: root.ReadText($"/sys/devices/system/cpu/cpufreq/{p}/scaling_governor")?.Trim()))
            .Where(p => p.Governor is not null)
            .ToArray();
        if (policies.Length == 0)
        {
            return PlatformCheck.Pass(Name, "no cpufreq policies (fixed frequency)");
        }
        var value = string.Join(", ", policies.Select(p => $"{p.Policy}={p.Governor}"));
        return policies.All(p => p.Governor == "performance")
            ? PlatformCheck.Pass(Name, value)
            : PlatformCheck.Warn(Name, value,
                "echo performance | sudo tee /sys/devices/system/cpu/cpufreq/policy*/scaling_governor");
    }
}
