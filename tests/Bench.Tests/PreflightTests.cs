using Engram.Bench.Preflight;
using Engram.TestSupport;

namespace Engram.Bench.Tests;

public sealed class PreflightTests
{
    [Fact]
    public void Record_ReadsTheBoardAndWarnsAboutUnreliableSettings()
    {
        using var root = FakePlatformRoot.Rk3588(availableMiB: 700).Governor("policy4", "ondemand")
            .Write("/sys/devices/system/cpu/cpufreq/policy4/scaling_cur_freq", "1800000\n")
            .Write("/sys/class/devfreq/dmc/cur_freq", "2112000000\n")
            .Write("/sys/class/devfreq/fdab0000.npu/cur_freq", "1000000000\n");
        var preflight = new PreflightCheck(root.Path);

        preflight.RecordTemperature("npu");
        var record = preflight.Record(["npu_driver: warn 0.9.7"]);

        Assert.Equal("ondemand", record.Governors["policy4"]);
        Assert.Equal("1800 MHz", record.Frequencies["policy4"]);
        Assert.Equal("2112 MHz", record.Frequencies["ddr"]);
        Assert.Equal("1000 MHz", record.Frequencies["npu"]);
        Assert.Equal(700, record.AvailableMemoryMiB);
        Assert.Equal(47.0, record.Temperatures.Single().MaxCelsius);
        Assert.Contains(record.Warnings, w => w.Contains("policy4 governor is 'ondemand'"));
        Assert.Contains(record.Warnings, w => w.Contains("only 700 MiB"));
        Assert.Contains(record.Warnings, w => w.Contains("npu_driver: warn"));
    }
}
