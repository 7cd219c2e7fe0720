using System.Text.RegularExpressions;
using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>The RKNPU kernel driver's version; RKLLM requires 0.9.8 or newer (older ones fail at run time).</summary>
public sealed partial class NpuDriverCheck : IPlatformCheck
{
    public const string CheckName = "npu_driver";
    public static readonly Version Required = new(0, 9, 8);

    // Where the driver reports itself: module version (no root needed), then debugfs and procfs.
    private static readonly string[] Sources = ["/sys/module/rknpu/version", "/sys/kernel/debug/rknpu/version", "/proc/rknpu/version"];

    public string Name => CheckName;
    public bool NpuOnly => true;

    public PlatformCheck Run(PlatformRoot root)
    {
        foreach (var source in Sources)
        {
            var text = root.ReadText(source);
            if (text is null)
            {
                continue;
            }
            var match = VersionPattern().Match(text);
            if (!match.Success || !Version.TryParse(match.Groups[1].Value, out var version))
            {
                return PlatformCheck.Fail(Name, $"unreadable version '{text.Trim()}' in {source}", "reinstall the RKNPU driver 0.9.8 or newer");
            }
            return version >= Required
                ? PlatformCheck.Pass(Name, version.ToString())
                : PlatformCheck.Fail(Name, $"{version} (0.9.8 or newer required)",
                    "upgrade the RKNPU driver to 0.9.8 (rknpu_driver_0.9.8 in rknn-llm; kernel 5.10.209 or 6.1.84 recommended)");
        }
        return PlatformCheck.Fail(Name, "no rknpu driver", "load the vendor RKNPU driver 0.9.8 (the mainline 'rocket' driver is not supported)");
    }

    [GeneratedRegex(@"v?(\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();
}
