using System.CommandLine;
using Engram.Bench.Overhead;

namespace Engram.Bench.Commands;

/// <summary><c>engram-bench overhead</c>: what the daemon costs against the same engine in-process.</summary>
internal static class OverheadCommand
{
    public const double DecodeGoal = 0.97;
    public const double FirstTokenGoalMs = 5;

    private static readonly Option<FileInfo> Model = new("--model") { Description = "the GGUF model to run both ways", Required = true };
    private static readonly Option<int> Runs = new("--runs") { Description = "measured runs per path", DefaultValueFactory = _ => 5 };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "unmeasured runs per path first", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Tokens = new("--tokens") { Description = "tokens generated per run", DefaultValueFactory = _ => 128 };
    private static readonly Option<int> Threads = new("--threads")
    {
        Description = "llama.cpp threads (default: cores - 1, so a descheduled spinning thread does not stall the other)",
        DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount - 1),
    };
    private static readonly Option<string> Prompt = new("--prompt") { Description = "the prompt", DefaultValueFactory = _ => "What is 2+2?" };
    private static readonly Option<string?> DaemonExe = new("--daemon-exe")
    {
        Description = "the engram-daemon to start (default: $ENGRAM_DAEMON, ../daemon/engram-daemon beside the bench, or this repository's build)",
    };

    public static Command Create()
    {
        var command = new Command("overhead", "measure a real engram-daemon process (gRPC over loopback) against the same engine in-process, interleaved")
        {
            Model, Runs, Warmup, Tokens, Threads, Prompt, DaemonExe,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = parse.GetValue(Model)!;
            if (!model.Exists)
            {
                throw new UserFacingException($"model file {model.FullName} does not exist (engram-bench make-model writes one)");
            }
            var runs = parse.GetValue(Runs);
            var tokens = parse.GetValue(Tokens);
            if (runs < 1 || tokens < 2)
            {
                throw new UserFacingException("--runs must be at least 1 and --tokens at least 2");
            }
            var benchmark = new OverheadBenchmark(model.FullName, parse.GetValue(Threads), tokens, parse.GetValue(Prompt)!, parse.GetValue(DaemonExe));
            var result = await benchmark.RunAsync(runs, parse.GetValue(Warmup), line => Console.Error.WriteLine(line), cancellationToken);
            Console.Write(Render(model.Name, tokens, result));
            return (int)ExitCode.Ok;
        });
        return command;
    }

    public static string Render(string model, int tokens, OverheadResult result)
    {
        var writer = new StringWriter();
        writer.WriteLine($"daemon overhead: {model}, {result.InProcess.Count} interleaved runs of {tokens} tokens per path (greedy)");
        writer.WriteLine($"{"path",-12} {"decode tok/s median [min-max] ±sd",-38} {"first token ms median [min-max]",-32}");
        foreach (var (name, decode, ttft) in new[]
        {
            ("in-process", result.InProcessDecode, result.InProcessFirstToken),
            ("daemon", result.DaemonDecode, result.DaemonFirstToken),
        })
        {
            writer.WriteLine($"{name,-12} {$"{decode.Median:0.0} [{decode.Min:0.0}-{decode.Max:0.0}] ±{decode.StdDev:0.0}",-38} {$"{ttft.Median:0.0} [{ttft.Min:0.0}-{ttft.Max:0.0}]",-32}");
        }
        writer.WriteLine($"decode ratio {result.DecodeRatio:P1} (goal >= {DecodeGoal:P0}): {(result.DecodeRatio >= DecodeGoal ? "met" : "NOT met")}");
        writer.WriteLine($"first token +{result.AddedFirstTokenMs:0.0} ms (goal <= {FirstTokenGoalMs} ms): {(result.AddedFirstTokenMs <= FirstTokenGoalMs ? "met" : "NOT met")}");
        writer.WriteLine("measured by the caller: time to first token from sending the request; decode from the first token to the last");
        return writer.ToString();
    }
}
