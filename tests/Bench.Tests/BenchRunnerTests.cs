using Engram.Bench.Measurement;
using Engram.Bench.Profiles;
using Engram.Bench.Targets;

namespace Engram.Bench.Tests;

public sealed class BenchRunnerTests
{
    private static readonly BenchProfile Edge = BenchProfile.Load("edge");

    [Fact]
    public async Task RunAsync_InterleavesTargetsAfterTheWarmUp()
    {
        var calls = new List<string>();
        var targets = new IBenchTarget[] { new ScriptedTarget("a", "4", 10, 100, calls), new ScriptedTarget("b", "4", 50, 20, calls) };

        var samples = await new BenchRunner(targets, Edge, runs: 3, warmup: 1).RunAsync(CancellationToken.None);

        Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3"], calls);
        Assert.Equal(6, samples.Count); // warm-up runs are not measured
    }

    [Fact]
    public async Task Summarise_SpeedupIsTheRatioOfMediansOverTheBaseline()
    {
        var calls = new List<string>();
        var targets = new IBenchTarget[] { new ScriptedTarget("cpu", "4", 10, 1000, calls), new ScriptedTarget("npu", "4", 50, 200, calls) };
        var samples = await new BenchRunner(targets, Edge, runs: 3, warmup: 0).RunAsync(CancellationToken.None);

        var summaries = BenchReport.Summarise(samples, targets.Select(t => (t, (TargetInfo?)null)).ToArray(), "cpu");

        var cpu = summaries.Single(s => s.Target == "cpu");
        var npu = summaries.Single(s => s.Target == "npu");
        Assert.Equal(12, cpu.DecodeTokensPerSecond.Median); // 11, 12, 13
        Assert.Equal(52, npu.DecodeTokensPerSecond.Median);
        Assert.Equal(1.0, cpu.DecodeSpeedup);
        Assert.Equal(52.0 / 12.0, npu.DecodeSpeedup!.Value, 6);
        Assert.Equal(5.0, npu.FirstTokenSpeedup!.Value, 6);
        Assert.Equal(1, npu.DecodeTokensPerSecond.StdDev, 6);
    }

    [Fact]
    public async Task QualityCheck_MarksAFastButWrongTarget()
    {
        var calls = new List<string>();
        var targets = new IBenchTarget[] { new ScriptedTarget("right", "The answer is 4.", 10, 100, calls), new ScriptedTarget("wrong", "It is 5.", 90, 10, calls) };
        var samples = await new BenchRunner(targets, Edge, runs: 2, warmup: 0).RunAsync(CancellationToken.None);

        var summaries = BenchReport.Summarise(samples, targets.Select(t => (t, (TargetInfo?)null)).ToArray(), "right");

        Assert.Equal((2, 2), (summaries[0].QualityPassed, summaries[0].QualityChecked));
        Assert.Equal((0, 2), (summaries[1].QualityPassed, summaries[1].QualityChecked));
    }

    [Fact]
    public void Profiles_AreData()
    {
        var edge = BenchProfile.Load("edge");
        var pp = BenchProfile.Load("pp512-tg128");

        Assert.Equal("What is 2+2?", edge.Prompts.Single().Text);
        Assert.Equal(@"\b4\b", edge.Prompts.Single().Expect);
        Assert.True(pp.Prompts.Single().Text.Length >= 2000);
        Assert.Equal(128, pp.Prompts.Single().MaxNewTokens);
        Assert.Throws<UserFacingException>(() => BenchProfile.Load("nope"));
    }

    [Theory]
    [InlineData("npu=http://rock5b:50051", "npu", "engram", "http://rock5b:50051", null)]
    [InlineData("npu=http://rock5b:50051#qwen", "npu", "engram", "http://rock5b:50051", "qwen")]
    [InlineData("cpu=ollama:http://127.0.0.1:11434#qwen2.5:0.5b", "cpu", "ollama", "http://127.0.0.1:11434", "qwen2.5:0.5b")]
    public void TargetSpec_Parses(string text, string name, string kind, string address, string? model)
    {
        Assert.Equal(new TargetSpec(name, kind, address, model), TargetSpec.Parse(text));
    }

    [Theory]
    [InlineData("no-equals")]
    [InlineData("cpu=ollama:http://127.0.0.1:11434")]
    public void TargetSpec_RejectsWhatItCannotUse(string text)
    {
        Assert.Throws<UserFacingException>(() => TargetSpec.Parse(text));
    }
}
