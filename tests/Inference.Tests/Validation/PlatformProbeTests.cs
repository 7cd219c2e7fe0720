using Engram.Inference.Validation.Platform;
using Engram.TestSupport;

namespace Engram.Inference.Tests.Validation;

/// <summary>The platform probe reads a fake machine's files and says pass, warn or fail with a remedy.</summary>
public sealed class PlatformProbeTests
{
    private static PlatformReport Probe(FakePlatformRoot root, bool npuRequired = true) =>
        PlatformProbe.Create(root.Path, []).Run(npuRequired);

    [Fact]
    public void Rk3588WithDriver098_Passes()
    {
        using var root = FakePlatformRoot.Rk3588(driver: "0.9.8").RkllmRuntime();

        var report = Probe(root);

        Assert.All(report.Checks, c => Assert.True(c.Status == CheckStatus.Pass, $"{c.Name}: {c.Value}"));
        Assert.Equal("rockchip,rk3588", report.Find("soc")!.Value);
        Assert.Equal("0.9.8", report.Find("npu_driver")!.Value);
        Assert.Equal("cpu4,5,6,7", report.Find("big_cores")!.Value);
        Assert.Contains("bigcore0-thermal=47.0C", report.Find("thermal")!.Value);
    }

    [Fact]
    public void Driver096_Fails()
    {
        using var root = FakePlatformRoot.Rk3588(driver: "0.9.6");

        var driver = Probe(root).Find("npu_driver")!;

        Assert.Equal(CheckStatus.Fail, driver.Status);
        Assert.Contains("0.9.6 (0.9.8 or newer required)", driver.Value);
        Assert.Contains("upgrade", driver.Remedy);
    }

    [Fact]
    public void DebugfsDriverVersionFormat_IsRead()
    {
        using var root = new FakePlatformRoot().Write("/sys/kernel/debug/rknpu/version", "RKNPU driver: v0.9.8\n");

        Assert.Equal(CheckStatus.Pass, Probe(root).Find("npu_driver")!.Status);
    }

    [Fact]
    public void NonRockchipMachine_FailsTheNpuChecksWhenTheNpuIsNeeded()
    {
        using var root = FakePlatformRoot.NonRockchip();

        var report = Probe(root);

        Assert.Equal(CheckStatus.Fail, report.Find("soc")!.Status);
        Assert.Equal(CheckStatus.Fail, report.Find("npu_driver")!.Status);
        Assert.Equal(CheckStatus.Fail, report.Find("rkllm_runtime")!.Status);
        Assert.Equal(CheckStatus.Pass, report.Find("memory")!.Status);
    }

    [Fact]
    public void NonRockchipMachine_OnlyWarnsWhenNoProfileNeedsTheNpu()
    {
        using var root = FakePlatformRoot.NonRockchip();

        var soc = Probe(root, npuRequired: false).Find("soc")!;

        Assert.Equal(CheckStatus.Warn, soc.Status);
        Assert.StartsWith("only the rkllm (NPU) backend needs this", soc.Remedy);
    }

    [Fact]
    public void Rk3582_CountsAsTheRk3588Family()
    {
        using var root = FakePlatformRoot.Rk3588().Write("/proc/device-tree/compatible", "radxa,e52c\0rockchip,rk3582\0rockchip,rk3588s\0");

        var soc = Probe(root).Find("soc")!;

        Assert.Equal(CheckStatus.Pass, soc.Status);
        Assert.Equal("rk3588", SocCheck.FamilyOf(soc.Value));
    }

    [Fact]
    public void OndemandGovernor_Warns()
    {
        using var root = FakePlatformRoot.Rk3588().Governor("policy4", "ondemand");

        var governor = Probe(root).Find("cpu_governor")!;

        Assert.Equal(CheckStatus.Warn, governor.Status);
        Assert.Contains("policy4=ondemand", governor.Value);
        Assert.Contains("scaling_governor", governor.Remedy);
    }

    [Fact]
    public void HotSoc_Warns()
    {
        using var root = FakePlatformRoot.Rk3588().Thermal(2, "npu-thermal", 91000);

        Assert.Equal(CheckStatus.Warn, Probe(root).Find("thermal")!.Status);
    }
}
