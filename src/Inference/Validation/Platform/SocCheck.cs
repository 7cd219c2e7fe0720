using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>The SoC from the device tree's <c>compatible</c> list (board first, SoC last, NUL-separated).</summary>
public sealed class SocCheck : IPlatformCheck
{
    public const string CheckName = "soc";
    private static readonly string[] Rk3588Family = ["rockchip,rk3588", "rockchip,rk3582"];

    public string Name => CheckName;
    public bool NpuOnly => true;

    public PlatformCheck Run(PlatformRoot root)
    {
        var compatible = root.ReadText("/proc/device-tree/compatible") ?? root.ReadText("/sys/firmware/devicetree/base/compatible");
        if (compatible is null)
        {
            return PlatformCheck.Fail(Name, "no device tree", "the rkllm backend needs an RK3588-family board (this machine has no device tree)");
        }
        var entries = compatible.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var soc = entries.FirstOrDefault(e => Rk3588Family.Any(f => e.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
        return soc is not null
            ? PlatformCheck.Pass(Name, soc)
            : PlatformCheck.Fail(Name, entries.LastOrDefault() ?? "empty compatible",
                "the rkllm backend needs an RK3588, RK3588S or RK3582; use the llama backend on this machine");
    }

    /// <summary>The SoC family a value of this check names (<c>rk3588</c> for rk3588s and rk3582 too), or null.</summary>
    public static string? FamilyOf(string? socValue) => socValue?.ToLowerInvariant() switch
    {
        null => null,
        var s when s.StartsWith("rockchip,rk3588") || s.StartsWith("rockchip,rk3582") => "rk3588",
        var s when s.StartsWith("rockchip,") => s["rockchip,".Length..],
        _ => null,
    };
}
