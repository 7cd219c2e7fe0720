using System.CommandLine;
using System.Text.Json;
using Engram.Bench.Chat;
using Engram.Inference.Engine;

namespace Engram.Bench.Commands;

/// <summary>
/// <c>engram-bench chat</c>: a growing reply chain replayed on real daemons, with prompt reuse on and off, or per
/// KV cache type: what each turn waits for, what it prefills, and what the daemon's memory comes to.
/// </summary>
internal static class ChatCommand
{
    /// <summary>A follow-up turn with reuse should wait at most this share of the same turn without it.</summary>
    public const double FollowUpGoal = 0.25;

    private static readonly Option<FileInfo> Model = new("--model") { Description = "the GGUF model (engram-bench make-model writes one)", Required = true };
    private static readonly Option<int> Turns = new("--turns") { Description = "turns of the conversation (2 to 8)", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> MaxNewTokens = new("--max-new-tokens") { Description = "tokens per answer", DefaultValueFactory = _ => 128 };
    private static readonly Option<int> PromptTokens = new("--prompt-tokens")
    {
        Description = "about how many prompt tokens the last turn carries (the messages are sized to it)",
        DefaultValueFactory = _ => 1500,
    };
    private static readonly Option<int> Threads = new("--threads") { Description = "llama.cpp threads", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<int> Context = new("--ctx") { Description = "the profile's max_context_len", DefaultValueFactory = _ => 2048 };
    private static readonly Option<bool> NoPromptCache = new("--no-prompt-cache") { Description = "run without prompt reuse only (prompt_cache_slots=0)" };
    private static readonly Option<string?> KvCacheType = new("--kv-cache-type")
    {
        Description = "compare KV cache types instead, comma-separated (e.g. f16,q8_0,q4_0): decode tok/s, first token and memory per type",
    };
    private static readonly Option<string?> DaemonExe = new("--daemon-exe")
    {
        Description = "the engram-daemon to start (default: $ENGRAM_DAEMON, ../daemon/engram-daemon beside the bench, or this repository's build)",
    };
    private static readonly Option<FileInfo?> Json = new("--json") { Description = "also write every turn of every configuration as JSON" };

    public static Command Create()
    {
        var command = new Command("chat", "replay a growing reply chain on real daemons: per turn, first-token wait, prefilled and cached tokens (reuse on and off, or per KV cache type)")
        {
            Model, Turns, MaxNewTokens, PromptTokens, Threads, Context, NoPromptCache, KvCacheType, DaemonExe, Json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var model = parse.GetValue(Model)!;
            if (!model.Exists)
            {
                throw new UserFacingException($"model file {model.FullName} does not exist (engram-bench make-model writes one)");
            }
            var script = ChatScript.Create(parse.GetValue(Turns), parse.GetValue(MaxNewTokens), parse.GetValue(PromptTokens));
            var configurations = Configurations(parse.GetValue(KvCacheType), parse.GetValue(NoPromptCache));
            var benchmark = new ChatBenchmark(model.FullName, parse.GetValue(Threads), parse.GetValue(Context), parse.GetValue(DaemonExe));
            var runs = await benchmark.RunAsync(configurations, script, line => Console.Error.WriteLine(line), cancellationToken);
            Console.Write(Render(model.Name, runs));
            if (parse.GetValue(Json) is { } json)
            {
                await File.WriteAllTextAsync(json.FullName, JsonSerializer.Serialize(runs, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            }
            return (int)ExitCode.Ok;
        });
        return command;
    }

    public static IReadOnlyList<ChatConfiguration> Configurations(string? kvCacheTypes, bool noPromptCache)
    {
        IReadOnlyList<string> reuseOff = ["prompt_cache_slots=0"];
        if (kvCacheTypes is null)
        {
            return noPromptCache ? [new("no reuse", reuseOff)] : [new("reuse", []), new("no reuse", reuseOff)];
        }
        var types = kvCacheTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (types.Length == 0 || types.Any(t => !KvCacheSettings.TryParse(t, out _)))
        {
            throw new UserFacingException($"--kv-cache-type '{kvCacheTypes}' must list f16, q8_0 or q4_0, comma-separated");
        }
        return types.Select(t => new ChatConfiguration(t, [$"kv_cache_type={t}", .. noPromptCache ? reuseOff : []])).ToArray();
    }

    public static string Render(string model, IReadOnlyList<ChatRun> runs)
    {
        var writer = new StringWriter();
        var turns = runs[0].Turns.Count;
        writer.WriteLine($"chat replay: {model}, {turns} turns, greedy; per turn: cached/prompt tokens and time to first token");
        writer.Write($"{"turn",-5}");
        foreach (var run in runs)
        {
            writer.Write($" {run.Configuration.Name + ": cached/prompt",-26} {"ttft ms",8}");
        }
        var reuse = runs.FirstOrDefault(r => r.Configuration.Name == "reuse");
        var without = runs.FirstOrDefault(r => r.Configuration.Name == "no reuse");
        var compared = reuse is not null && without is not null;
        writer.WriteLine(compared ? $" {"ttft reuse/none",16}" : "");
        for (var i = 0; i < turns; i++)
        {
            writer.Write($"{i + 1,-5}");
            foreach (var run in runs)
            {
                var t = run.Turns[i];
                writer.Write($" {$"{t.CachedTokens}/{t.PromptTokens}",-26} {t.TimeToFirstTokenMs,8:0}");
            }
            writer.WriteLine(compared ? $" {reuse!.Turns[i].TimeToFirstTokenMs / without!.Turns[i].TimeToFirstTokenMs,16:P0}" : "");
        }
        if (compared)
        {
            var ratios = Enumerable.Range(1, turns - 1).Select(i => reuse!.Turns[i].TimeToFirstTokenMs / without!.Turns[i].TimeToFirstTokenMs).ToArray();
            var met = ratios.Count(r => r <= FollowUpGoal);
            writer.WriteLine($"follow-up turns waiting at most {FollowUpGoal:P0} of the same turn without reuse: {met} of {ratios.Length} " +
                $"(worst {ratios.Max():P0}, median {Median(ratios):P0}): {(met == ratios.Length ? "met" : "NOT met")}");
        }
        writer.WriteLine();
        writer.WriteLine($"{"configuration",-14} {"decode tok/s",12} {"ttft ms (median)",17} {"rss MiB",8} {"peak MiB",9} {"beyond model MiB",17} {"own MiB",8}");
        foreach (var run in runs)
        {
            writer.WriteLine($"{run.Configuration.Name,-14} {Median(run.Turns.Select(t => t.DecodeTokensPerSecond)),12:0.0} " +
                $"{Median(run.Turns.Select(t => t.TimeToFirstTokenMs)),17:0} {run.Memory.ResidentBytes / 1048576.0,8:0} " +
                $"{run.Memory.PeakResidentBytes / 1048576.0,9:0} {run.ResidentBeyondModel / 1048576.0,17:0} {run.Memory.OwnBytes / 1048576.0,8:0}");
        }
        writer.WriteLine("measured by the caller: first token from sending the request; cached and prompt tokens from the daemon's finished timings; memory from /proc after the replay;");
        writer.WriteLine("own: the daemon's anonymous memory (heaps, KV cache, compute buffers, JIT code), what no other process shares and only swap can move");
        return writer.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
