using System.Text.Json;
using Engram.Bench.Commands;
using Engram.Bench.Load;
using Engram.Bench.Profiles;
using Engram.Bench.Reports;
using Engram.ModelFiles.Gguf;
using Engram.ModelFiles.Synthetic;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.Bench.Tests;

/// <summary>engram-bench against a real daemon and a fake Ollama server.</summary>
public sealed class BenchEndToEndTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("engram-bench-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Run_ComparesADaemonWithOllamaAndWritesEveryReport()
    {
        await using var daemon = await DaemonProcess.StartAsync([]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        await using var ollama = new FakeOllamaServer { Answer = "It is 5.", EvalCount = 40, EvalDurationNs = 4_000_000_000 };
        using var root = FakePlatformRoot.Rk3588();
        var progress = new StringWriter();

        var report = await RunCommand.RunAsync([$"cpu=ollama:{ollama.Url}#qwen2.5:0.5b", $"engram={daemon.Address}"], "cpu",
            BenchProfile.Load("edge"), runs: 2, warmup: 1, root.Path, dropCaches: false, progress, CancellationToken.None).WithTimeout(TimeSpan.FromMinutes(2));

        var cpu = report.Targets.Single(t => t.Target == "cpu");
        var engram = report.Targets.Single(t => t.Target == "engram");
        Assert.Equal(10, cpu.DecodeTokensPerSecond.Median, 6); // 40 tokens in 4 s of Ollama's eval time
        Assert.Equal(1500, cpu.LoadMs, 6);
        Assert.Equal((0, 2), (cpu.QualityPassed, cpu.QualityChecked)); // "It is 5."
        Assert.Equal((2, 2), (engram.QualityPassed, engram.QualityChecked)); // the built-in model answers 4
        Assert.Equal("builtin", engram.Info!.Model);
        Assert.Equal(engram.DecodeTokensPerSecond.Median / 10, engram.DecodeSpeedup);
        Assert.Equal(4, report.Samples.Count);
        Assert.Equal(4, report.Environment.Temperatures.Count);
        Assert.Contains("run 2/2 engram", progress.ToString());

        var table = Render(new TableReport(), report);
        var markdown = Render(new MarkdownReport(), report);
        var svg = Render(new SvgChartReport(), report);
        var json = JsonDocument.Parse(Render(new JsonReport(), report)).RootElement;
        Assert.Contains("speedup", table);
        Assert.Matches(@"cpu\s+10\.0 \[10\.0-10\.0\]", table);
        Assert.Contains("| target | model | decode tok/s", markdown);
        Assert.Contains("| cpu | qwen2.5:0.5b (ollama) | 10.0", markdown);
        Assert.StartsWith("<svg", svg);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(svg, "<rect").Count); // 2 targets x 2 panels
        Assert.Equal(4, json.GetProperty("samples").GetArrayLength());
        Assert.Equal("cpu", json.GetProperty("baseline").GetString());
    }

    [Fact]
    public async Task Run_MeasuresAnOpenAiCompatibleServer_BesideTheSameDaemonOverGrpc()
    {
        var port = LoopbackPort.Free();
        await using var daemon = await DaemonProcess.StartAsync(["--openai", $"127.0.0.1:{port}"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        using var root = FakePlatformRoot.Rk3588();

        var report = await RunCommand.RunAsync([$"grpc={daemon.Address}", $"door=openai:http://127.0.0.1:{port}"], "grpc",
            BenchProfile.Load("edge"), runs: 2, warmup: 1, root.Path, dropCaches: false, TextWriter.Null, CancellationToken.None)
            .WithTimeout(TimeSpan.FromMinutes(2));

        var grpc = report.Targets.Single(t => t.Target == "grpc");
        var door = report.Targets.Single(t => t.Target == "door");
        Assert.Equal((2, 2), (door.QualityPassed, door.QualityChecked)); // the built-in model answers 4 through either door
        Assert.Equal("builtin", door.Info!.Model);
        Assert.Equal(grpc.Info!.Model, door.Info.Model);
        Assert.All(report.Samples.Where(s => s.Target == "door"), s => Assert.True(s.PromptTokens > 10 && s.GeneratedTokens == 1 && s.Error is null));
    }

    [Fact]
    public async Task MakeModel_WritesAModelTheDaemonServes()
    {
        var path = Path.Combine(_directory, "tiny-q8.gguf");
        MakeModelCommand.Write(ModelShape.Tiny, GgmlType.Q8_0, seed: 5, path);

        await using var daemon = await DaemonProcess.StartAsync(["--model", path]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        var recording = await RecordAsync(daemon.Client, Prompt("Hello", 6)).WithTimeout();

        Assert.Equal(GgufProblem.None, GgufReader.Inspect(path).Problem);
        Assert.Equal(6, recording.Finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task Load_CountsRejectionsAndChecksEveryStream()
    {
        var model = ScriptedModel.Write(Path.Combine(_directory, "story.gguf"), ScriptedModel.Pieces("\u2581Hello", "\u2581w1"), loop: true,
            embedding: 256, layers: 4, feedForward: 1024, context: 4096);
        await using var daemon = await DaemonProcess.StartAsync(["--model", model, "--Engram:profiles:default:queue_size=1",
            "--Engram:profiles:default:max_context_len=4096", "--Engram:profiles:default:max_new_tokens=2000"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);

        // Open loop, all at once: one runs, one waits, the other four are refused.
        var burst = await new LoadTest(daemon.Address, new LoadPlan(6, 300, "Tell me.")).RunAsync(CancellationToken.None)
            .WithTimeout(TimeSpan.FromMinutes(2));
        // Closed loop with queue_size + 1 clients: each asks again the moment its answer is finished, and is never refused.
        var closed = await new LoadTest(daemon.Address, new LoadPlan(12, 100, "Tell me.") { ClosedLoop = true, Clients = 2 })
            .RunAsync(CancellationToken.None).WithTimeout(TimeSpan.FromMinutes(2));

        Assert.Equal((2, 4), (burst.Completed, burst.Rejected));
        Assert.Equal(0, closed.Rejected + closed.RefusedOther + closed.Failed + closed.Malformed);
        Assert.Equal(12, closed.Completed);
        Assert.Equal(closed.Completed * 100, closed.TotalTokens);
        Assert.True(closed.QueueWaitP95 >= closed.QueueWaitP50);
        Assert.Contains("refused: queue full 0", LoadCommand.Render(closed));
    }

    private static string Render(IReportWriter writer, Measurement.BenchReport report)
    {
        var output = new StringWriter();
        writer.Write(report, output);
        return output.ToString();
    }
}
