using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// A conversation's next turn starts from the KV cache its earlier turns left (llama backend): only the new
/// text is prefilled, the answer is the one a fresh cache gives, and Health and metrics show the context in use.
/// </summary>
public sealed class PromptReuseTests : IAsyncLifetime
{
    private static readonly string[] Greedy =
        ["--model", RepositoryLayout.BuiltInModel, "--Engram:profiles:default:temperature=0", "--Engram:profiles:default:max_context_len=512"];

    private readonly int _metricsPort = LoopbackPort.Free();
    private DaemonProcess _reusing = null!;
    private DaemonProcess _fresh = null!;

    public async Task InitializeAsync()
    {
        var reusing = DaemonProcess.StartAsync([.. Greedy, "--metrics", $"127.0.0.1:{_metricsPort}"]);
        var fresh = DaemonProcess.StartAsync([.. Greedy, "--Engram:profiles:default:prompt_cache_slots=0"]);
        (_reusing, _fresh) = (await reusing, await fresh);
        await _reusing.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        await _fresh.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
    }

    public async Task DisposeAsync()
    {
        await _reusing.DisposeAsync();
        await _fresh.DisposeAsync();
    }

    private static GenerateRequest Chat(params string[] turns)
    {
        var request = new GenerateRequest { MaxNewTokens = 16 };
        for (var i = 0; i < turns.Length; i++)
        {
            request.Messages.Add(new ChatMessage { Role = i % 2 == 0 ? "user" : "assistant", Content = turns[i] });
        }
        return request;
    }

    [Fact]
    public async Task TheNextTurn_PrefillsOnlyWhatIsNew_AndAnswersAsAFreshCacheWould()
    {
        var first = await RecordAsync(_reusing.Client, Chat("What is 2+2?")).WithTimeout();
        var next = Chat("What is 2+2?", first.Text, "What is the capital of France?");

        var reused = await RecordAsync(_reusing.Client, next).WithTimeout();
        var fresh = await RecordAsync(_fresh.Client, next).WithTimeout();

        Assert.Equal(fresh.Text, reused.Text);
        Assert.Equal(fresh.Finished.Timings.PromptTokens, reused.Finished.Timings.PromptTokens);
        Assert.Equal(0, fresh.Finished.Timings.CachedPromptTokens);
        // At least the whole first prompt; its reply too, unless its text tokenizes differently than it was sampled.
        Assert.InRange(reused.Finished.Timings.CachedPromptTokens, first.Finished.Timings.PromptTokens, reused.Finished.Timings.PromptTokens - 1);
    }

    [Fact]
    public async Task TwoConversationsTakingTurns_EachKeepItsOwnCache()
    {
        var a1 = await RecordAsync(_reusing.Client, Chat("Hello!")).WithTimeout();
        var b1 = await RecordAsync(_reusing.Client, Chat("What is your name?")).WithTimeout();

        var a2 = await RecordAsync(_reusing.Client, Chat("Hello!", a1.Text, "How are you?")).WithTimeout();
        var b2 = await RecordAsync(_reusing.Client, Chat("What is your name?", b1.Text, "Where do you live?")).WithTimeout();

        Assert.True(a2.Finished.Timings.CachedPromptTokens >= a1.Finished.Timings.PromptTokens, $"a2 reused {a2.Finished.Timings.CachedPromptTokens}");
        Assert.True(b2.Finished.Timings.CachedPromptTokens >= b1.Finished.Timings.PromptTokens, $"b2 reused {b2.Finished.Timings.CachedPromptTokens}");
    }

    [Fact]
    public async Task HealthAndMetrics_ShowTheContextInUseAndTheReusedTokens()
    {
        var first = await RecordAsync(_reusing.Client, Chat("Tell me a joke.")).WithTimeout();
        var next = await RecordAsync(_reusing.Client, Chat("Tell me a joke.", first.Text, "Another one?")).WithTimeout();

        var health = await _reusing.Client.GetHealthAsync();
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{_metricsPort}/metrics");

        var model = health.Models.Single();
        Assert.InRange(model.ContextCellsInUse, next.Finished.Timings.PromptTokens, 512);
        Assert.True(model.ContextCellsPeak >= model.ContextCellsInUse);
        Assert.InRange(model.CachedSequences, 1, 4);
        Assert.Equal(4, model.PromptCacheSlots);
        Assert.Equal("f16, flash attention auto", model.KvCache);
        Assert.True(model.EstimatedBytes > 0);
        Assert.InRange(health.ProcessResidentBytes, 20L << 20, 4L << 30);
        Assert.Matches(@"engram_kv_cache_usage_ratio\{model=""default""\} 0\.\d+", metrics);
        Assert.Matches(@"engram_prompt_cached_tokens_total\{model=""default""\} [1-9]\d*", metrics);
        Assert.Matches(@"engram_process_resident_bytes \d+", metrics);
    }
}
