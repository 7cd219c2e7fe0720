using System.Diagnostics;
using Engram.Bench.Measurement;
using Engram.Bench.Profiles;
using Engram.Contract.V1;
using Engram.DaemonClient;

namespace Engram.Bench.Targets;

/// <summary>An Engram daemon, through the shared client library. Rates are the daemon's own step timings.</summary>
public sealed class EngramTarget(string name, string address, string? model) : IBenchTarget
{
    private readonly EngramDaemonClient _client = new(new DaemonClientOptions { Address = address });

    public string Name { get; } = name;
    public string Description => $"engram {address}{(model is null ? "" : "#" + model)}";

    public async Task<TargetInfo> DescribeAsync(CancellationToken cancellationToken)
    {
        var health = await _client.GetHealthAsync(cancellationToken);
        var served = health.Models.FirstOrDefault(m => model is null ? m.IsDefault : m.Name == model)
            ?? throw new UserFacingException($"target {Name}: the daemon at {address} has no model '{model}'");
        if (served.State != ModelState.Ready)
        {
            throw new UserFacingException($"target {Name}: model {served.Name} is {served.State} ({served.Detail})");
        }
        // NPU checks on a daemon that uses no NPU are informational, not a reason to distrust the numbers.
        var platform = health.Platform.Checks
            .Where(c => !c.Remedy.StartsWith("only the rkllm", StringComparison.Ordinal))
            .Select(c => $"{c.Name}: {c.Status.ToString().Replace("CheckStatus", "").ToLowerInvariant()} {c.Value}").ToArray();
        return new TargetInfo(served.Name, served.Backend, served.LoadMs, platform);
    }

    public async Task<RunSample> RunAsync(BenchPrompt prompt, float temperature, int run, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { MaxNewTokens = prompt.MaxNewTokens, Temperature = temperature, Model = model ?? "" };
        if (prompt.IsChat)
        {
            request.Messages.Add(new ChatMessage { Role = "user", Content = prompt.Text });
        }
        else
        {
            request.Prompt = prompt.Text;
            request.Raw = true; // a profile's plain prompt is a completion prompt, as Ollama's raw generate gets it
        }
        var clock = Stopwatch.StartNew();
        double? firstText = null;
        var text = new System.Text.StringBuilder();
        Finished? finished = null;
        await foreach (var update in _client.GenerateAsync(request, cancellationToken))
        {
            switch (update)
            {
                case GenerationText delta:
                    firstText ??= clock.Elapsed.TotalMilliseconds;
                    text.Append(delta.Text);
                    break;
                case GenerationCompleted done:
                    finished = done.Details;
                    break;
            }
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var t = finished?.Timings ?? new Timings();
        return new RunSample
        {
            Target = Name,
            Prompt = prompt.Name,
            Run = run,
            // What the user waits for: from sending the request to the first text, over the wire.
            TimeToFirstTokenMs = firstText ?? elapsed,
            PrefillTokensPerSecond = t.PrefillTokensPerSecond,
            DecodeTokensPerSecond = t.DecodeTokensPerSecond,
            EndToEndMs = elapsed,
            PromptTokens = t.PromptTokens,
            GeneratedTokens = t.GeneratedTokens,
            Text = text.ToString(),
            Error = finished?.Reason == FinishReason.Error ? finished.Error : null,
        };
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
