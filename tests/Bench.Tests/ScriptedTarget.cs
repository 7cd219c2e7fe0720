using Engram.Bench.Measurement;
using Engram.Bench.Profiles;
using Engram.Bench.Targets;

namespace Engram.Bench.Tests;

/// <summary>A target with known figures that records when it was called, for runner and report arithmetic.</summary>
internal sealed class ScriptedTarget(string name, string answer, double decode, double ttft, List<string> calls) : IBenchTarget
{
    public string Name { get; } = name;
    public string Description => "scripted";

    public Task<TargetInfo> DescribeAsync(CancellationToken cancellationToken) => Task.FromResult(new TargetInfo("m", "scripted", 100, []));

    public Task<RunSample> RunAsync(BenchPrompt prompt, float temperature, int run, CancellationToken cancellationToken)
    {
        calls.Add($"{Name}{run}");
        return Task.FromResult(new RunSample
        {
            Target = Name, Prompt = prompt.Name, Run = run, Text = answer, DecodeTokensPerSecond = decode + run, TimeToFirstTokenMs = ttft,
            GeneratedTokens = 10, PromptTokens = 5, EndToEndMs = ttft + 1000,
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
