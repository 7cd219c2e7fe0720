using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>Memory available now, from <c>/proc/meminfo</c>; each model's own need is checked when it loads.</summary>
public sealed class MemoryCheck : IPlatformCheck
{
    public const string CheckName = "memory";

    public string Name => CheckName;
    public bool NpuOnly => false;

    public PlatformCheck Run(PlatformRoot root)
    {
        var available = AvailableBytes(root);
        var total = Field(root.ReadText("/proc/meminfo"), "MemTotal:");
        return available is null
            ? PlatformCheck.Warn(Name, "unknown (no /proc/meminfo)", "memory needs cannot be checked before loading")
            : PlatformCheck.Pass(Name, $"{available / 1048576} MiB available of {total / 1048576 ?? 0} MiB");
    }

    /// <summary>MemAvailable in bytes, or null when it cannot be read.</summary>
    public static long? AvailableBytes(PlatformRoot root) => Field(root.ReadText("/proc/meminfo"), "MemAvailable:");

    private static long? Field(string? meminfo, string name)
    {
        var line = meminfo?.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        var number = line?[name.Length..].Trim().Split(' ')[0];
        return long.TryParse(number, out var kib) ? kib * 1024 : null;
    }
}
