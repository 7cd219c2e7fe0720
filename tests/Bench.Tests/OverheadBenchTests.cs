using Engram.Bench.Commands;
using Engram.Bench.Overhead;
using Engram.TestSupport;

namespace Engram.Bench.Tests;

/// <summary>engram-bench overhead: llama.cpp's own loop, the engine in-process and a real daemon, on the same model and prompt.</summary>
public sealed class OverheadBenchTests
{
    [Fact]
    public async Task EachRound_RunsTheSameGreedyGenerationOnAllThreePaths_AndTheTableStatesBothGoals()
    {
        // Pinned to cpu0 (every machine has one): the engine's CPUs reach all three paths.
        var benchmark = new OverheadBenchmark(RepositoryLayout.BuiltInModel, tokens: 12, prompt: "Tell me a story about a robot.", RepositoryLayout.DaemonAssembly,
            OverheadCommand.ParseEngineCpus("0", [1]));
        var progress = new List<string>();

        var result = await benchmark.RunAsync(threads: 1, runs: 2, warmup: 0, tierUp: 1, progress.Add, CancellationToken.None).WithTimeout(TimeSpan.FromMinutes(2));

        Assert.Equal(7, progress.Count); // the tier-up, then two rounds of three paths
        Assert.Empty(ProcessesRunning(EngramBenchEngineCeiling)); // the ceiling's own process is gone with the benchmark
        foreach (var path in new[] { result.Engine, result.InProcess, result.Daemon })
        {
            Assert.Equal(2, path.Count);
            Assert.All(path, s =>
            {
                Assert.True(s.PrefillMs > 0 && s.TimeToFirstTokenMs >= s.PrefillMs, $"{s.Path}: first token {s.TimeToFirstTokenMs} ms, prefill {s.PrefillMs} ms");
                Assert.True(s.DecodeTokensPerSecond > 0, $"{s.Path}: decode {s.DecodeTokensPerSecond}");
            });
        }
        // Greedy on one model and prompt: every path does the same work, so their speeds are comparable.
        Assert.Single(result.Engine.Concat(result.InProcess).Concat(result.Daemon).Select(s => s.Tokens).Distinct());
        Assert.True(double.IsFinite(result.DecodeRatio.Median) && double.IsFinite(result.AddedFirstTokenMs.Median));
        Assert.Equal(2, result.RoundTripMs.Count); // one transport floor per round
        Assert.All(result.RoundTripMs, ms => Assert.InRange(ms, 0.001, 5_000));

        var table = OverheadCommand.Render("engram-tiny-chat.gguf", 12, [result]);
        Assert.Matches(@"daemon decode at [\d.]+ % of the in-process engine \[[\d.]+ % to [\d.]+ %\] \(goal >= 99.0 %\): (met|NOT met)", table);
        Assert.Matches(@"daemon adds -?[\d.]+ ms to the first token \[-?[\d.]+ to -?[\d.]+\] \(goal <= 1 ms\): (met|NOT met)", table);
        Assert.Matches(@"\n1\s+engine\s+[\d.]+ \[[\d.]+ to [\d.]+\]", table);
        Assert.Matches(@"a loopback gRPC round trip \(GetHealth, engine idle\) takes [\d.]+ \[[\d.]+ to [\d.]+\] ms", table);
    }

    private const string EngramBenchEngineCeiling = "engine-ceiling";

    private static IEnumerable<string> ProcessesRunning(string argument) =>
        Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; } })
            .Where(cmdline => cmdline.Contains($" {argument} ", StringComparison.Ordinal) && cmdline.Contains("engram-bench", StringComparison.Ordinal));

    [Fact]
    public void ThreadCounts_AreAListOfPositiveCounts()
    {
        Assert.Equal([1, 4], OverheadCommand.ParseThreads("1, 4,4"));
        Assert.Throws<UserFacingException>(() => OverheadCommand.ParseThreads("0"));
        Assert.Throws<UserFacingException>(() => OverheadCommand.ParseThreads("two"));
        Assert.Throws<UserFacingException>(() => OverheadCommand.ParseThreads(" , "));
    }

    [Fact]
    public void EngineCpus_AreACpuListThatFitsEveryThreadCount()
    {
        Assert.Equal([1], OverheadCommand.ParseEngineCpus("1", [1]).Cpus);
        Assert.Null(OverheadCommand.ParseEngineCpus("auto", [1, 8]).Cpus);
        Assert.Contains("more threads than the 1 CPUs", Assert.Throws<UserFacingException>(() => OverheadCommand.ParseEngineCpus("1", [1, 2])).Message);
        Assert.Throws<UserFacingException>(() => OverheadCommand.ParseEngineCpus("big", [1]));
    }

    [Fact]
    public void PairedFigures_AreTakenPerRound_SoDriftBetweenRoundsCancels()
    {
        // Round 1 ran on a quiet machine, round 2 on a busy one: both paths slowed alike.
        OverheadSample Sample(string path, double decode, double ttft, double prefill) => new(path, ttft, decode, 128, prefill);
        var result = new OverheadResult(2,
            [Sample("engine", 40, 200, 199), Sample("engine", 20, 400, 399)],
            [Sample("in-process", 40, 201, 200), Sample("in-process", 20, 402, 400)],
            [Sample("daemon", 39.6, 301, 299.5), Sample("daemon", 19.8, 403, 400.5)],
            [0.6, 0.8]);

        Assert.Equal(0.99, result.DecodeRatio.Median, 3);
        Assert.Equal(1.0, result.EngineRatio.Median, 3);
        // The prefill's own noise (200 vs 299.5 ms) is not the daemon's: it adds 0.5 ms beyond it in both rounds.
        Assert.Equal(0.5, result.AddedFirstTokenMs.Median, 3);
    }
}
