using Engram.Bench.Daemons;
using Engram.DaemonClient;
using Engram.Inference.Health;

namespace Engram.Bench.Chat;

/// <summary>One daemon set-up the chat replay runs against: a name and the settings that make it.</summary>
public sealed record ChatConfiguration(string Name, IReadOnlyList<string> Settings);

/// <summary>A configuration's turns and the daemon's memory after them.</summary>
public sealed record ChatRun(ChatConfiguration Configuration, IReadOnlyList<TurnResult> Turns, ProcessMemoryReading Memory, long ModelBytes)
{
    /// <summary>Resident memory beyond the model file (what the daemon and its caches cost).</summary>
    public long ResidentBeyondModel => Memory.ResidentBytes - ModelBytes;
}

/// <summary>
/// Starts a real engram-daemon per configuration on the same model (reuse on or off, a KV cache type), replays
/// the script on it, and reads its memory; configurations run one after another, so they never share the cores.
/// </summary>
public sealed class ChatBenchmark(string model, int threads, int contextLength, string? daemonExecutable)
{
    public async Task<IReadOnlyList<ChatRun>> RunAsync(IReadOnlyList<ChatConfiguration> configurations, ChatScript script,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var runs = new List<ChatRun>();
        IReadOnlyList<string>? messages = null;
        foreach (var configuration in configurations)
        {
            string[] arguments =
            [
                "--model", model,
                $"--Engram:profiles:default:threads={threads}",
                $"--Engram:profiles:default:max_context_len={contextLength}",
                $"--Engram:profiles:default:max_new_tokens={script.MaxNewTokens}",
                $"--Engram:profiles:default:default_max_new_tokens={script.MaxNewTokens}",
                .. configuration.Settings.Select(s => "--Engram:profiles:default:" + s),
            ];
            await using var daemon = await DaemonChild.StartAsync(daemonExecutable, arguments, cancellationToken);
            await using var client = new EngramDaemonClient(new DaemonClientOptions { Address = daemon.Address });
            await client.WaitForDefaultModelAsync(TimeSpan.FromMinutes(5), cancellationToken);
            (var turns, messages) = await ChatReplay.RunAsync(client, script, messages, cancellationToken);
            foreach (var turn in turns)
            {
                progress($"{configuration.Name,-10} turn {turn.Turn}: prompt {turn.PromptTokens} tokens, cached {turn.CachedTokens}, " +
                    $"first token {turn.TimeToFirstTokenMs:0} ms, decode {turn.DecodeTokensPerSecond:0.0} tok/s");
            }
            runs.Add(new ChatRun(configuration, turns, ProcessMemory.Read(daemon.ProcessId), new FileInfo(model).Length));
        }
        return runs;
    }
}
