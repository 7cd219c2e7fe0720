using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine;

/// <summary>cpu_affinity: which CPUs a model's engine threads run on.</summary>
public sealed class CpuAffinityTests
{
    private static readonly int[] Rk3588BigCores = [4, 5, 6, 7];

    [Theory]
    [InlineData("4-7", new[] { 4, 5, 6, 7 }, "4-7")]
    [InlineData(" 0, 2-3 ,2", new[] { 0, 2, 3 }, "0,2-3")]
    [InlineData("5", new[] { 5 }, "5")]
    public void AList_NamesItsCpusOnceEach(string text, int[] cpus, string described)
    {
        Assert.True(CpuAffinity.TryParse(text, out var affinity, out _));
        Assert.Equal(cpus, affinity.Cpus);
        Assert.Equal(described, affinity.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7-4")]
    [InlineData("4-")]
    [InlineData("-1")]
    [InlineData("1024")]
    [InlineData("big")]
    [InlineData("0x0F")]
    public void AnythingElse_IsRefusedWithTheForms(string text)
    {
        Assert.False(CpuAffinity.TryParse(text, out _, out var error));
        Assert.Contains("auto, none or a CPU list such as 4-7", error);
    }

    [Fact]
    public void Auto_PinsToTheBigCores_OnlyWhereThereAreLittleOnes_AndTheThreadsFit()
    {
        Assert.True(CpuAffinity.TryParse("AUTO", out var auto, out _));

        Assert.Equal(Rk3588BigCores, auto.Resolve(Rk3588BigCores, processorCount: 8, threads: 0));
        Assert.Equal(Rk3588BigCores, auto.Resolve(Rk3588BigCores, processorCount: 8, threads: 4));
        Assert.Null(auto.Resolve(Rk3588BigCores, processorCount: 8, threads: 8)); // asked for the little cores too
        Assert.Null(auto.Resolve([0, 1], processorCount: 2, threads: 0));          // every core alike
        Assert.Null(auto.Resolve([], processorCount: 2, threads: 0));              // no cpufreq: cannot tell
    }

    [Fact]
    public void NoneAndLists_AreTheSameOnEveryMachine()
    {
        Assert.True(CpuAffinity.TryParse("none", out var none, out _));
        Assert.True(CpuAffinity.TryParse("1", out var one, out _));

        Assert.Null(none.Resolve(Rk3588BigCores, 8, 0));
        Assert.Equal([1], one.Resolve(Rk3588BigCores, 8, 0));
        Assert.Equal([1], one.Resolve([], 2, 0));
    }
}
