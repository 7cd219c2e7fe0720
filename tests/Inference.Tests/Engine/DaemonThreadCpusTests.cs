using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine;

/// <summary>daemon_cpu_affinity: where the daemon's own threads go, given where the engines run.</summary>
public sealed class DaemonThreadCpusTests
{
    private static readonly int[] Rk3588 = [0, 1, 2, 3, 4, 5, 6, 7];
    private static readonly int[] BigCores = [4, 5, 6, 7];

    private static CpuAffinity Setting(string text) => CpuAffinity.TryParse(text, out var affinity, out var error) ? affinity : throw new ArgumentException(error);

    [Fact]
    public void Auto_WithTheEnginesOnTheBigCores_KeepsTheDaemonOnTheLittleOnes()
    {
        Assert.Equal([0, 1, 2, 3], DaemonThreadCpus.Plan(CpuAffinity.Auto, [BigCores], Rk3588));
    }

    [Fact]
    public void Auto_LeavesTheCpusOfEveryEngineFree()
    {
        Assert.Equal([0, 1], DaemonThreadCpus.Plan(CpuAffinity.Auto, [BigCores, [2, 3]], Rk3588));
    }

    [Fact]
    public void Auto_WithAnEngineThatMayRunAnywhere_LeavesTheDaemonAlone()
    {
        Assert.Null(DaemonThreadCpus.Plan(CpuAffinity.Auto, [BigCores, null], Rk3588));
    }

    [Fact]
    public void Auto_WhenTheEnginesTakeEveryCpu_LeavesTheDaemonAlone()
    {
        Assert.Null(DaemonThreadCpus.Plan(CpuAffinity.Auto, [Rk3588], Rk3588));
    }

    [Fact]
    public void Auto_UnderSystemdsCpuAffinity_StillKeepsTheDaemonOnTheProcesssCpus()
    {
        // CPUAffinity=0-3 starts the process off the big cores, but threads the engine thread starts inherit cpu4-7.
        Assert.Equal([0, 1, 2, 3], DaemonThreadCpus.Plan(CpuAffinity.Auto, [BigCores], [0, 1, 2, 3]));
    }

    [Fact]
    public void Auto_WithoutModels_LeavesTheDaemonAlone()
    {
        Assert.Null(DaemonThreadCpus.Plan(CpuAffinity.Auto, [], Rk3588));
    }

    [Fact]
    public void None_LeavesTheDaemonAlone_AndAListIsTakenAsWritten()
    {
        Assert.Null(DaemonThreadCpus.Plan(CpuAffinity.None, [BigCores], Rk3588));
        Assert.Equal([0, 1], DaemonThreadCpus.Plan(Setting("0-1"), [BigCores], Rk3588));
        Assert.Equal([2], DaemonThreadCpus.Plan(Setting("2"), [null], Rk3588));
    }
}
