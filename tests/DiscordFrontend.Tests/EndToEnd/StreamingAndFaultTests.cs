using Engram.DiscordFrontend.Tests.Fakes;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.EndToEnd;

/// <summary>Streaming pace, long replies and faults on the daemon's side, with the fake NPU runtime's steady token stream.</summary>
public sealed class StreamingAndFaultTests
{
    [Fact]
    public async Task StreamedReply_IsEditedAtMostAboutOncePerSecond_AndEndsWithTheDaemonsOutput()
    {
        await using var npu = await NpuDaemon.StartAsync(tokensPerSecond: 20, tokens: 60); // three seconds of streaming
        await using var bot = await BotHarness.StartAsync(npu.Address);

        var question = await bot.MentionAsync("Tell me something.");
        var reply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(question.Id));

        Assert.Equal(npu.Answer, reply.Content);
        var versions = reply.Versions.ToArray();
        Assert.InRange(versions.Length, 3, 6); // placeholder, partial texts, final: streamed, yet bounded
        Assert.Contains(versions[1..^1], v => v.Content.StartsWith("tok0", StringComparison.Ordinal) && v.Content.EndsWith("-# ✍️ generating…", StringComparison.Ordinal));
        for (var i = 1; i < versions.Length; i++)
        {
            var gap = versions[i].At - versions[i - 1].At;
            Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"edit {i} came {gap.TotalMilliseconds:0} ms after the one before");
        }
    }

    [Fact]
    public async Task ReplyOver2000Characters_IsSplitIntoChainedMessages_AtWordBoundaries()
    {
        await using var npu = await NpuDaemon.StartAsync(tokensPerSecond: 2000, tokens: 500); // about 3400 characters
        await using var bot = await BotHarness.StartAsync(npu.Address, "--Discord:daemon:max_new_tokens=600");

        var question = await bot.MentionAsync("Tell me everything.");
        var parts = await bot.Discord.WaitForFinalReplyAsync(question.Id);

        Assert.InRange(parts.Count, 2, 3);
        Assert.All(parts, p => Assert.InRange(p.Content.Length, 1, 2000));
        Assert.Equal(npu.Answer, string.Join(" ", parts.Select(p => p.Content)));
        Assert.All(parts, p => Assert.Equal("""{"parse":[],"replied_user":false}""", p.AllowedMentions!.ToJsonString()));
    }

    [Fact]
    public async Task DaemonKilledMidReply_TheUserSeesItRetry_GetsOneWholeAnswer_AndLaterRequestsAreAnswered()
    {
        await using var npu = await NpuDaemon.StartAsync(tokensPerSecond: 10, tokens: 30);
        await using var bot = await BotHarness.StartAsync(npu.Address);

        var question = await bot.MentionAsync("Tell me something.");
        await bot.Discord.WaitForAsync(() => bot.Discord.ReplyChainOf(question.Id).FirstOrDefault()?.Content,
            c => c.Contains("tok3", StringComparison.Ordinal), "some streamed text");
        npu.Supervisor.Daemon.Signal(9); // SIGKILL: nothing is cleaned up, as in a native crash
        var reply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(question.Id, TimeSpan.FromSeconds(60)));
        var later = await bot.MentionAsync("And again?");
        var second = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(later.Id, TimeSpan.FromSeconds(60)));

        Assert.Equal(1, npu.Supervisor.Restarts);
        Assert.Contains(reply.Versions, v => v.Content.Contains("retrying…", StringComparison.Ordinal));
        Assert.Equal(npu.Answer, reply.Content); // the retried answer replaced the broken one, in the same message
        Assert.Single(bot.Discord.BotRepliesTo(question.Id));
        Assert.Equal(npu.Answer, second.Content);
        Assert.True(bot.Discord.Gateway.HasLiveSession);
        Assert.Single(bot.Discord.Gateway.Identifies); // Discord never noticed
    }

    [Fact]
    public async Task DaemonDown_TheUserIsToldItIsUnavailable_AndTheBotStaysConnected()
    {
        var nowhere = $"http://127.0.0.1:{LoopbackPort.Free()}";
        await using var bot = await BotHarness.StartAsync(nowhere, "--Discord:daemon:wait_seconds=2");

        var question = await bot.MentionAsync("What is 2+2?");
        var reply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(question.Id));
        var health = await bot.Discord.InvokeCommandAsync("health", BotHarness.Channel);
        var shown = await bot.Discord.WaitForAsync(() => bot.Discord.InteractionMessages(health).FirstOrDefault()?.Content,
            c => c.Length > 0, "the health answer");

        Assert.Contains(reply.Versions, v => v.Content.Contains("cannot be reached; retrying…", StringComparison.Ordinal));
        Assert.DoesNotContain(reply.Versions, v => v.Content.Contains("restarting", StringComparison.Ordinal)); // a daemon that is down is not "restarting"
        Assert.StartsWith("-# ⚠️ The inference engine is unavailable right now", reply.Content, StringComparison.Ordinal);
        Assert.StartsWith("⚠️ The inference daemon cannot be reached", shown, StringComparison.Ordinal);
        Assert.True(bot.Discord.Gateway.HasLiveSession);
        Assert.Single(bot.Discord.Gateway.Identifies);
    }

    [Fact]
    public async Task TwoQuestionsAtOnce_TheSecondShowsItsQueuePosition_BothGetWholeAnswers()
    {
        // Four seconds of answer: the second question stays queued for more than one edit interval, so its status is shown.
        await using var npu = await NpuDaemon.StartAsync(tokensPerSecond: 20, tokens: 80);
        await using var bot = await BotHarness.StartAsync(npu.Address);

        var first = await bot.MentionAsync("Tell me something.", author: 42);
        await bot.Discord.WaitForAsync(() => bot.Discord.ReplyChainOf(first.Id).FirstOrDefault()?.Content,
            c => c.Contains("tok", StringComparison.Ordinal), "the first answer streaming");
        var second = await bot.MentionAsync("Me too.", author: 43);
        var firstReply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(first.Id));
        var secondReply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(second.Id));

        Assert.Contains(secondReply.Versions, v => v.Content == "-# ⏳ queued at position 1");
        Assert.Equal(npu.Answer, firstReply.Content);
        Assert.Equal(npu.Answer, secondReply.Content);
    }

    [Fact]
    public async Task SlowDiscordRest_DoesNotHoldUpTheGateway_AndTheReplyStillEndsWithTheWholeAnswer()
    {
        await using var npu = await NpuDaemon.StartAsync(tokensPerSecond: 20, tokens: 40);
        await using var bot = await BotHarness.StartAsync(npu.Address);
        bot.Discord.RestDelay = TimeSpan.FromMilliseconds(1500); // every REST answer takes 1.5 s
        var beatsBefore = bot.Discord.Gateway.Heartbeats.Count;

        var question = await bot.MentionAsync("Tell me something.");
        var reply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(question.Id, TimeSpan.FromSeconds(60)));

        Assert.Equal(npu.Answer, reply.Content);
        Assert.True(bot.Discord.Gateway.Heartbeats.Count - beatsBefore >= 4, "heartbeats kept going while REST was slow");
        Assert.Empty(bot.Discord.Gateway.Resumes); // no zombie was declared: ACKs were read in time
        Assert.True(reply.Edits <= 4, $"{reply.Edits} edits: slow answers coalesce into fewer, newer edits");
    }
}
