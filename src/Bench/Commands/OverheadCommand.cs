using System.CommandLine;
using System.Globalization;
using Engram.Bench.Measurement;
using Engram.Inference.Engine;
using Engram.Bench.Overhead;

namespace Engram.Bench.Commands;

/// <summary><c>engram-bench overhead</c>: what the daemon costs on top of its engine, at each thread count.</summary>
internal static class OverheadCommand
{
    /// <summary>The daemon decodes at least this share of the in-process engine's speed...</summary>
    public const double DecodeGoal = 0.99;

    /// <summary>...and adds at most this much to the first token.</summary>
    public const double FirstTokenGoalMs = 1;

    private static readonly Option<FileInfo> Model = new("--model") { Description = "the GGUF model to run every way", Required = true };
    private static readonly Option<int> Runs = new("--runs") { Description = "measured rounds per thread count (each runs all three paths)", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "unmeasured rounds first", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> TierUp = new("--tier-up")
    {
        Description = "short requests each managed path serves first, so .NET's tiered JIT has optimized the per-request code as in a daemon that has been up a while",
        DefaultValueFactory = _ => 32,
    };
    private static readonly Option<int> Tokens = new("--tokens") { Description = "tokens generated per run", DefaultValueFactory = _ => 128 };
    private static readonly Option<string> Threads = new("--threads")
    {
        Description = "llama.cpp thread counts to measure, comma-separated (default: 1 and every core)",
        DefaultValueFactory = _ => Environment.ProcessorCount > 1 ? $"1,{Environment.ProcessorCount}" : "1",
    };
    private static readonly Option<string> EngineCpus = new("--engine-cpus")
    {
        Description = "CPUs for the engine on every path (a profile's cpu_affinity: auto, none or a list such as 1 or 4-7); start the bench " +
            "itself on the others (taskset -c 0 engram-bench overhead --threads 1 --engine-cpus 1) to measure a board's layout",
        DefaultValueFactory = _ => "auto",
    };
    private static readonly Option<string> Prompt = new("--prompt") { Description = "the prompt (one user turn)", DefaultValueFactory = _ => "What is 2+2?" };
    private static readonly Option<string?> DaemonExe = new("--daemon-exe")
    {
        Description = "the engram-daemon to start (default: $ENGRAM_DAEMON, ../daemon/engram-daemon beside the bench, or this repository's build)",
    };

    public static Command Create()
    {
        var command = new Command("overhead", "measure llama.cpp's own decode loop, the engine in-process and a real engram-daemon process, interleaved, at each thread count")
        {
            Model, Runs, Warmup, TierUp, Tokens, Threads, EngineCpus, Prompt, DaemonExe,
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
            var threads = ParseThreads(parse.GetValue(Threads)!);
            var engineCpus = ParseEngineCpus(parse.GetValue(EngineCpus)!, threads);
            var benchmark = new OverheadBenchmark(model.FullName, tokens, parse.GetValue(Prompt)!, parse.GetValue(DaemonExe), engineCpus);
            var results = new List<OverheadResult>();
            foreach (var count in threads)
            {
                results.Add(await benchmark.RunAsync(count, runs, parse.GetValue(Warmup), Math.Max(0, parse.GetValue(TierUp)), line => Console.Error.WriteLine(line), cancellationToken));
            }
            Console.Write(Render(model.Name, tokens, results));
            return (int)ExitCode.Ok;
        });
        return command;
    }

    public static IReadOnlyList<int> ParseThreads(string text)
    {
        var counts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, out var n) && n is > 0 and <= 256 ? n : throw new UserFacingException($"--threads '{text}' must list thread counts from 1 to 256"))
            .Distinct().ToArray();
        return counts.Length > 0 ? counts : throw new UserFacingException("--threads needs at least one count");
    }

    public static CpuAffinity ParseEngineCpus(string text, IReadOnlyList<int> threads)
    {
        if (!CpuAffinity.TryParse(text, out var engineCpus, out var error))
        {
            throw new UserFacingException($"--engine-cpus {error}");
        }
        if (engineCpus.Cpus is { Count: > 0 } pinned && threads.Any(t => t > pinned.Count))
        {
            throw new UserFacingException($"--threads {string.Join(',', threads)} has more threads than the {pinned.Count} CPUs of --engine-cpus {engineCpus}");
        }
        return engineCpus;
    }

    public static string Render(string model, int tokens, IReadOnlyList<OverheadResult> results)
    {
        var writer = new StringWriter();
        writer.WriteLine($"daemon overhead: {model}, {results[0].Daemon.Count} interleaved rounds of {tokens} tokens per path (greedy, prompt reuse off)");
        writer.WriteLine($"{"threads",-8} {"path",-11} {"decode tok/s median [min-max]",-30} {"first token ms median [min-max]",-32} {"of which beyond prefill ms",-26}");
        foreach (var result in results)
        {
            foreach (var (name, decode, ttft, beyond) in new[]
            {
                ("engine", result.EngineDecode, result.EngineFirstToken, result.EngineFirstTokenOverhead),
                ("in-process", result.InProcessDecode, result.InProcessFirstToken, result.InProcessFirstTokenOverhead),
                ("daemon", result.DaemonDecode, result.DaemonFirstToken, result.DaemonFirstTokenOverhead),
            })
            {
                writer.WriteLine($"{result.Threads,-8} {name,-11} {Range(decode, "0.0"),-30} {Range(ttft, "0.0"),-32} {Range(beyond, "0.00"),-26}");
            }
            var (ratio, engine, added) = (result.DecodeRatio, result.EngineRatio, result.AddedFirstTokenMs);
            writer.WriteLine($"{"",-8} in-process engine at {Percent(engine.Median)} of llama.cpp's own loop [{Percent(engine.Min)} to {Percent(engine.Max)}]");
            writer.WriteLine($"{"",-8} daemon decode at {Percent(ratio.Median)} of the in-process engine [{Percent(ratio.Min)} to {Percent(ratio.Max)}] " +
                $"(goal >= {Percent(DecodeGoal)}): {(ratio.Median >= DecodeGoal ? "met" : "NOT met")}");
            writer.WriteLine($"{"",-8} daemon adds {Number(added.Median, "0.00")} ms to the first token [{Number(added.Min, "0.00")} to " +
                $"{Number(added.Max, "0.00")}] (goal <= {Number(FirstTokenGoalMs, "0")} ms): {(added.Median <= FirstTokenGoalMs ? "met" : "NOT met")}");
            writer.WriteLine($"{"",-8} a loopback gRPC round trip (GetHealth, engine idle) takes {Range(result.RoundTrip, "0.00")} ms, the least a request and its first reply pay");
        }
        writer.WriteLine("measured by the caller: first token from sending the request, decode from the first token to the last; \"beyond prefill\" is");
        writer.WriteLine("the first-token wait less the prefill the engine itself timed; ratios and differences are per round, then their median");
        return writer.ToString();
    }

    private static string Range(Summary summary, string format) =>
        $"{Number(summary.Median, format)} [{Number(summary.Min, format)} to {Number(summary.Max, format)}]";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Percent(double share) => Number(share * 100, "0.0") + " %";
}
