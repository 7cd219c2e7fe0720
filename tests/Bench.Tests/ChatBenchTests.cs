using Engram.Bench.Chat;
using Engram.Bench.Commands;
using Engram.TestSupport;

namespace Engram.Bench.Tests;

/// <summary>engram-bench chat: a reply chain replayed on real daemons, with prompt reuse on and off.</summary>
public sealed class ChatBenchTests
{
    [Fact]
    public async Task TheReplay_ShowsEachFollowUpTurnReusingTheConversation_AndTheSameTurnsWithoutReuse()
    {
        var benchmark = new ChatBenchmark(RepositoryLayout.BuiltInModel, threads: 2, contextLength: 512, RepositoryLayout.DaemonAssembly);
        var progress = new List<string>();

        var runs = await benchmark.RunAsync(ChatCommand.Configurations(null, noPromptCache: false), ChatScript.Create(3, 8, 240), progress.Add,
            CancellationToken.None).WithTimeout(TimeSpan.FromMinutes(2));

        var (reuse, without) = (runs.Single(r => r.Configuration.Name == "reuse"), runs.Single(r => r.Configuration.Name == "no reuse"));
        Assert.Equal(reuse.Turns.Select(t => t.PromptTokens), without.Turns.Select(t => t.PromptTokens)); // the same conversation
        Assert.All(without.Turns, t => Assert.Equal(0, t.CachedTokens));
        Assert.Equal(0, reuse.Turns[0].CachedTokens);
        for (var i = 1; i < reuse.Turns.Count; i++)
        {
            Assert.InRange(reuse.Turns[i].CachedTokens, reuse.Turns[i - 1].PromptTokens, reuse.Turns[i].PromptTokens - 1);
        }
        Assert.All(runs, r => Assert.True(r.Memory.PeakResidentBytes >= r.Memory.ResidentBytes && r.Memory.ResidentBytes > 0));
        // The model is mapped from its file, so the daemon's own memory is what it holds beside the model.
        Assert.All(runs, r => Assert.InRange(r.Memory.OwnBytes, 1, r.Memory.ResidentBytes - 1));
        Assert.Equal(6, progress.Count);
        var table = ChatCommand.Render("engram-tiny-chat.gguf", runs);
        Assert.Contains("follow-up turns waiting at most 25 % of the same turn without reuse", table);
        Assert.Matches(@"\n2\s+\d+/\d+\s+\d+\s+0/\d+", table);
        Assert.Contains("beyond model MiB", table);
        Assert.Contains("own MiB", table);
    }

    [Fact]
    public void KvCacheTypes_AreComparedOnePerConfiguration_AndUnknownTypesRefused()
    {
        var configurations = ChatCommand.Configurations("f16, q8_0,q4_0", noPromptCache: true);

        Assert.Equal(["f16", "q8_0", "q4_0"], configurations.Select(c => c.Name));
        Assert.Equal(["kv_cache_type=q4_0", "prompt_cache_slots=0"], configurations[2].Settings);
        Assert.Equal(["no reuse"], ChatCommand.Configurations(null, noPromptCache: true).Select(c => c.Name));
        Assert.Throws<UserFacingException>(() => ChatCommand.Configurations("q5_1", noPromptCache: false));
    }
}
