using System.Text.RegularExpressions;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Tests.Fakes;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.EndToEnd;

/// <summary>The bot end to end: fake Discord, the bot as engram-discord composes it, a real daemon with the built-in model.</summary>
public sealed class ConversationTests(TinyModelDaemon model) : IClassFixture<TinyModelDaemon>
{
    private Task<BotHarness> StartBotAsync(params string[] settings) => BotHarness.StartAsync(model.Daemon.Address, settings);

    [Fact]
    public async Task Mention_GetsASilentReplyWhoseFinalTextIsTheDaemonsAnswer()
    {
        await using var bot = await StartBotAsync();
        var expected = await model.AnswerAsync(("user", "What is 2+2?"));

        var question = await bot.MentionAsync("What is 2+2?");
        var reply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(question.Id));

        Assert.Equal("4", expected);
        Assert.Equal(expected, reply.Content);
        Assert.Equal("""{"parse":[],"replied_user":false}""", reply.AllowedMentions!.ToJsonString());
        Assert.Equal(MessageDraft.SuppressNotifications, reply.Flags);
        Assert.StartsWith("-# ⏳", reply.Versions[0].Content, StringComparison.Ordinal); // never silent while it works
        Assert.True(bot.Discord.TypingCalls >= 1);
    }

    [Fact]
    public async Task DirectMessage_IsAnsweredWithoutAMention()
    {
        await using var bot = await StartBotAsync();

        var dm = await bot.Discord.PostUserMessageAsync(channelId: 77, "hello", guildId: null);
        var reply = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(dm.Id));

        Assert.Equal("Hello! How can I help you?", reply.Content);
        Assert.Equal(77ul, reply.ChannelId);
    }

    [Fact]
    public async Task ReplyToTheBot_ContinuesTheConversationFromTheReplyChain_OnTheKvCacheTheFirstTurnLeft()
    {
        await using var bot = await StartBotAsync();
        var first = await bot.MentionAsync("What is 2+2?");
        var answer = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(first.Id));

        // A plain reply (no mention in the text): Discord puts the bot in mentions because the reply pings it.
        var followUp = await bot.Discord.PostUserMessageAsync(BotHarness.Channel, "What is 3+5?", replyTo: answer.Id);
        var second = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(followUp.Id));
        var expected = await model.AnswerAsync(("user", "What is 2+2?"), ("assistant", answer.Content), ("user", "What is 3+5?"));

        Assert.Equal(expected, second.Content);
        // The bot wrote the first turn the same way both times, so the daemon prefilled only the new one.
        // Every fake Discord numbers its messages from the same start: the newest line of each id is this test's.
        int Logged(ulong messageId, string field) =>
            int.Parse(Regex.Matches(model.Daemon.OutputText, $@"request discord-{messageId} .*? {field}=(\d+)")[^1].Groups[1].Value);
        var firstPrompt = Logged(first.Id, "prompt_tokens");
        var reused = Logged(followUp.Id, "cached");
        Assert.True(reused >= firstPrompt, $"the second turn reused {reused} tokens; the first turn's prompt had {firstPrompt}");
    }

    [Fact]
    public async Task AskCommand_IsAcknowledgedAtOnce_ThenTheOriginalResponseBecomesTheAnswer()
    {
        await using var bot = await StartBotAsync();
        var expected = await model.AnswerAsync(("user", "hello"));

        var ask = await bot.Discord.InvokeCommandAsync("ask", BotHarness.Channel, prompt: "hello");
        var messages = await bot.Discord.WaitForAsync(() => bot.Discord.InteractionMessages(ask),
            m => m.Count > 0 && m[^1].Versions.Count > 1 && !FakeDiscordServer.IsInProgress(m[^1].Content), "the /ask answer");

        var callback = Assert.Single(bot.Discord.InteractionCallbacks);
        Assert.Equal(5, callback.Type); // deferred: the answer takes longer than Discord's 3 seconds may
        Assert.True(callback.At - ask.CreatedAt < TimeSpan.FromSeconds(3));
        Assert.Equal("Hello! How can I help you?", expected);
        Assert.Equal(expected, Assert.Single(messages).Content);
    }

    [Fact]
    public async Task HealthCommand_ShowsTheDaemonsReport()
    {
        await using var bot = await StartBotAsync();

        var health = await bot.Discord.InvokeCommandAsync("health", BotHarness.Channel);
        var shown = await bot.Discord.WaitForAsync(() => bot.Discord.InteractionMessages(health).FirstOrDefault()?.Content,
            c => c.Length > 0, "the health report");

        Assert.Contains("engram-daemon", shown, StringComparison.Ordinal);
        Assert.Contains("**ready**", shown, StringComparison.Ordinal);
        Assert.Contains("(default)", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListeningChannel_TheClassifierDecides_ChatIsAnswered_NoiseIsLeftAlone()
    {
        await using var bot = await StartBotAsync($"--Discord:routing:listen_channels:0={BotHarness.Channel}");

        var noise = await bot.Discord.PostUserMessageAsync(BotHarness.Channel, "lol");
        var chat = await bot.Discord.PostUserMessageAsync(BotHarness.Channel, "what do you think about cats?");
        await bot.Discord.WaitForFinalReplyAsync(chat.Id);
        var spam = await bot.Discord.PostUserMessageAsync(BotHarness.Channel, "free nitro at apple.example");
        var later = await bot.MentionAsync("What is 2+2?"); // handled after the spam was classified
        await bot.Discord.WaitForFinalReplyAsync(later.Id);

        Assert.Empty(bot.Discord.BotRepliesTo(noise.Id));
        Assert.Empty(bot.Discord.BotRepliesTo(spam.Id));
        Assert.Single(bot.Discord.BotRepliesTo(chat.Id));
    }

    [Fact]
    public async Task TooManyRequests_FromOneUser_GetOnePoliteRefusal()
    {
        await using var bot = await StartBotAsync("--Discord:rate_limits:per_user=1");

        var first = await bot.MentionAsync("What is 2+2?");
        await bot.Discord.WaitForFinalReplyAsync(first.Id);
        var second = await bot.MentionAsync("What is 3+5?");
        var refusal = Assert.Single(await bot.Discord.WaitForFinalReplyAsync(second.Id));
        var third = await bot.MentionAsync("What is 1+1?");
        var otherUser = await bot.MentionAsync("What is 1+1?", author: 43);
        await bot.Discord.WaitForFinalReplyAsync(otherUser.Id);

        Assert.StartsWith("You're sending requests faster than I can answer", refusal.Content, StringComparison.Ordinal);
        Assert.Empty(bot.Discord.BotRepliesTo(third.Id)); // told once per window, not every time
    }

    [Fact]
    public async Task Resume_ReplaysMissedMessages_AndNoMessageIsAnsweredTwice()
    {
        await using var bot = await StartBotAsync();
        var before = await bot.MentionAsync("What is 2+2?");
        await bot.Discord.WaitForFinalReplyAsync(before.Id);

        bot.Discord.Gateway.ReplayOverlap = 1000; // Discord may deliver events again: replay the whole session
        bot.Discord.Gateway.DropLive();
        var missed = await bot.MentionAsync("hello");
        var replies = await bot.Discord.WaitForFinalReplyAsync(missed.Id);
        await Task.Delay(1500); // room for a duplicate answer to appear, were there one

        Assert.Single(bot.Discord.Gateway.Identifies);
        Assert.True(Assert.Single(bot.Discord.Gateway.Resumes).OnResumeUrl);
        Assert.Equal("Hello! How can I help you?", Assert.Single(replies).Content);
        Assert.Single(bot.Discord.BotRepliesTo(before.Id));
        Assert.Single(bot.Discord.BotRepliesTo(missed.Id));
    }
}
