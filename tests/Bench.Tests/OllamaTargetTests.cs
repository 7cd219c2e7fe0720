using Engram.Bench.Profiles;
using Engram.Bench.Targets;
using Engram.TestSupport;

namespace Engram.Bench.Tests;

/// <summary>Ollama's own stats become the same figures as a daemon's; its load time stays apart.</summary>
public sealed class OllamaTargetTests
{
    [Fact]
    public async Task RunAsync_ConvertsOllamaStatsAndKeepsLoadApart()
    {
        await using var ollama = new FakeOllamaServer { EvalCount = 50, EvalDurationNs = 2_000_000_000, PromptEvalCount = 20, PromptEvalDurationNs = 100_000_000 };
        await using var target = new OllamaTarget("cpu", ollama.Url, "qwen2.5:0.5b");

        var sample = await target.RunAsync(BenchProfile.Load("edge").Prompts[0], 0, 1, CancellationToken.None).WithTimeout();

        Assert.Equal(25, sample.DecodeTokensPerSecond, 6);   // 50 tokens in 2 s of eval time, not wall clock
        Assert.Equal(200, sample.PrefillTokensPerSecond, 6); // 20 prompt tokens in 0.1 s
        Assert.Equal(1500, sample.LoadMs, 6);
        Assert.Equal(50, sample.GeneratedTokens);
        Assert.Equal("The answer is 4.", sample.Text);
        Assert.Contains("\"model\":\"qwen2.5:0.5b\"", ollama.Requests.Single());
        Assert.Contains("/api/chat", ollama.Requests.Single());
        Assert.Contains("\"num_predict\":128", ollama.Requests.Single());
    }
}
