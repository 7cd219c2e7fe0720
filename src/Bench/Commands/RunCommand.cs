using System.CommandLine;
using Engram.Bench.Measurement;
using Engram.Bench.Preflight;
using Engram.Bench.Profiles;
using Engram.Bench.Reports;
using Engram.Bench.Targets;

namespace Engram.Bench.Commands;

/// <summary><c>engram-bench run</c>: the side-by-side measurement that decides what to deploy.</summary>
internal static class RunCommand
{
    private static readonly Option<string[]> Target = new("--target")
    {
        Description = "NAME=ADDRESS, repeatable: an Engram daemon (npu=http://rock5b:50051, optionally #profile), an Ollama server " +
            "(cpu=ollama:http://127.0.0.1:11434#qwen2.5:0.5b) or any OpenAI-compatible server such as llama-server (peer=openai:http://127.0.0.1:8080)",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<string?> Baseline = new("--baseline") { Description = "the target speedups are computed against (default: the first)" };
    private static readonly Option<string> Profile = new("--profile") { Description = "edge, pp512-tg128, or a profile JSON file", DefaultValueFactory = _ => "edge" };
    private static readonly Option<int> Runs = new("--runs") { Description = "measured runs per target", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "unmeasured runs per target first", DefaultValueFactory = _ => 1 };
    private static readonly Option<string> Root = new("--root") { Description = "where the preflight reads governors, frequencies, memory, temperatures", DefaultValueFactory = _ => "/" };
    private static readonly Option<bool> DropCaches = new("--drop-caches") { Description = "drop the page cache before the runs (root only)" };
    private static readonly Option<FileInfo?> Json = new("--json") { Description = "also write the full report (every sample) as JSON" };
    private static readonly Option<FileInfo?> Markdown = new("--markdown") { Description = "also write the table as Markdown" };
    private static readonly Option<FileInfo?> Chart = new("--chart") { Description = "also write an SVG chart (decode tok/s and time to first token, with min-max whiskers)" };

    public static Command Create()
    {
        var command = new Command("run", "measure targets side by side on a profile and print the speedup table")
        {
            Target, Baseline, Profile, Runs, Warmup, Root, DropCaches, Json, Markdown, Chart,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = await RunAsync(parse.GetValue(Target)!, parse.GetValue(Baseline), BenchProfile.Load(parse.GetValue(Profile)!),
                parse.GetValue(Runs), parse.GetValue(Warmup), parse.GetValue(Root)!, parse.GetValue(DropCaches), Console.Error, cancellationToken);
            new TableReport().Write(report, Console.Out);
            WriteFile(parse.GetValue(Json), new JsonReport(), report);
            WriteFile(parse.GetValue(Markdown), new MarkdownReport(), report);
            WriteFile(parse.GetValue(Chart), new SvgChartReport(), report);
            var failed = report.Targets.Any(t => t.Errors > 0 || t.QualityPassed < t.QualityChecked);
            return (int)(failed ? ExitCode.Failed : ExitCode.Ok);
        });
        return command;
    }

    public static async Task<BenchReport> RunAsync(IReadOnlyList<string> targetSpecs, string? baseline, BenchProfile profile, int runs, int warmup,
        string root, bool dropCaches, TextWriter progress, CancellationToken cancellationToken)
    {
        if (runs < 1 || warmup < 0)
        {
            throw new UserFacingException("--runs must be at least 1 and --warmup at least 0");
        }
        var specs = targetSpecs.Select(TargetSpec.Parse).ToArray();
        if (specs.Select(s => s.Name).Distinct().Count() != specs.Length)
        {
            throw new UserFacingException("target names must be distinct");
        }
        baseline ??= specs[0].Name;
        if (specs.All(s => s.Name != baseline))
        {
            throw new UserFacingException($"--baseline {baseline} is not one of the targets ({string.Join(", ", specs.Select(s => s.Name))})");
        }
        if (dropCaches)
        {
            PreflightCheck.DropCaches();
        }
        var preflight = new PreflightCheck(root);
        var targets = specs.Select(s => s.Create()).ToArray();
        try
        {
            var described = new List<(IBenchTarget, TargetInfo?)>();
            foreach (var target in targets)
            {
                var info = await target.DescribeAsync(cancellationToken);
                progress.WriteLine($"{target.Name}: {target.Description}, model {info.Model} ({info.Backend}), loaded in {info.LoadMs:0} ms");
                described.Add((target, info));
            }
            var runner = new BenchRunner(targets, profile, runs, warmup)
            {
                BeforeRun = name =>
                {
                    preflight.RecordTemperature(name);
                    return Task.CompletedTask;
                },
                Progress = (sample, measured) => progress.WriteLine(
                    $"{(measured ? $"run {sample.Run}/{runs}" : "warm-up")} {sample.Target,-10} {sample.Prompt}: " +
                    (sample.Error is not null ? $"FAILED {sample.Error}" :
                        $"ttft {sample.TimeToFirstTokenMs:0} ms, decode {sample.DecodeTokensPerSecond:0.0} tok/s, {sample.GeneratedTokens} tokens" +
                        (sample.QualityPassed is { } q ? (q ? ", answer ok" : ", WRONG answer") : ""))),
            };
            var samples = await runner.RunAsync(cancellationToken);
            var environment = preflight.Record(described.SelectMany(d => d.Item2?.Platform ?? []));
            return new BenchReport(profile.Name, profile.Description, baseline, runs, warmup, DateTimeOffset.UtcNow,
                BenchReport.Summarise(samples, described, baseline), samples, environment);
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    private static void WriteFile(FileInfo? file, IReportWriter writer, BenchReport report)
    {
        if (file is null)
        {
            return;
        }
        using var output = file.CreateText();
        writer.Write(report, output);
    }
}
