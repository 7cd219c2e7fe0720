using Engram.DiscordFrontend.Conversation;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Tests.Discord;
using Engram.DiscordFrontend.Tests.Fakes;

namespace Engram.DiscordFrontend.Tests.Replies;

/// <summary>The conversation is the reply chain as Discord stores it, read over REST.</summary>
public sealed class ReplyChainReaderTests
{
    private static readonly BotIdentity Bot = new(FakeDiscordServer.BotUserId, "engram", FakeDiscordServer.ApplicationId);

    private static FakeMessage BotSays(FakeDiscordServer discord, string text, ulong replyTo)
    {
        var message = new FakeMessage { Id = discord.NextId(), ChannelId = 5, GuildId = 7, AuthorId = FakeDiscordServer.BotUserId, AuthorIsBot = true, ReplyTo = replyTo };
        message.Versions.Add((DateTimeOffset.UtcNow, text));
        discord.Messages[message.Id] = message;
        return message;
    }

    private static DiscordMessage AsTrigger(FakeDiscordServer discord, FakeMessage message) =>
        System.Text.Json.JsonSerializer.Deserialize<DiscordMessage>(discord.ToJson(message).ToJsonString(), DiscordJson.Options)!;

    [Fact]
    public async Task Chain_BecomesAlternatingTurns_SplitRepliesJoin_StatusLinesDropped()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        var discord = harness.Discord;
        var question = await discord.PostUserMessageAsync(5, $"<@{FakeDiscordServer.BotUserId}> What is 2+2?");
        var part1 = BotSays(discord, "It is", question.Id);
        var part2 = BotSays(discord, "4.\n-# ✂️ reply cut at the length limit", part1.Id);
        var followUp = await discord.PostUserMessageAsync(5, "And 3+5?", replyTo: part2.Id);

        var turns = await new ReplyChainReader(harness.Rest, maxMessages: 10, maxCharacters: 1000)
            .ReadAsync(AsTrigger(discord, followUp), "And 3+5?", Bot, CancellationToken.None);

        Assert.Equal([("user", "What is 2+2?"), ("assistant", "It is\n4."), ("user", "And 3+5?")], turns.Select(t => (t.Role, t.Content)));
    }

    [Fact]
    public async Task TheNextTurn_StartsWithEveryTurnAsTheLastOneWroteIt_SoTheDaemonCanReuseItsCache()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        var discord = harness.Discord;
        var reader = new ReplyChainReader(harness.Rest, maxMessages: 10, maxCharacters: 1000);
        var question = await discord.PostUserMessageAsync(5, $"<@{FakeDiscordServer.BotUserId}> What is 2+2?");
        var answer = BotSays(discord, "4\n-# ✍️ generating…", question.Id);
        var followUp = await discord.PostUserMessageAsync(5, $"<@{FakeDiscordServer.BotUserId}>  And 3+5? ", replyTo: answer.Id);
        var second = await reader.ReadAsync(AsTrigger(discord, followUp), "And 3+5?", Bot, CancellationToken.None);
        var secondAnswer = BotSays(discord, "8\n-# (superseded by the reply above)", followUp.Id);
        var last = await discord.PostUserMessageAsync(5, "Thanks!", replyTo: secondAnswer.Id);

        var third = await reader.ReadAsync(AsTrigger(discord, last), "Thanks!", Bot, CancellationToken.None);

        Assert.Equal(second.Select(t => (t.Role, t.Content)), third.Take(second.Count).Select(t => (t.Role, t.Content)));
        Assert.Equal([("assistant", "8"), ("user", "Thanks!")], third.Skip(second.Count).Select(t => (t.Role, t.Content)));
    }

    [Fact]
    public async Task LongChains_KeepTheNewestMessagesWithinTheBounds()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        var discord = harness.Discord;
        var previous = await discord.PostUserMessageAsync(5, "message 0");
        for (var i = 1; i < 8; i++)
        {
            previous = i % 2 == 1 ? BotSays(discord, $"answer {i}", previous.Id) : await discord.PostUserMessageAsync(5, $"message {i}", replyTo: previous.Id);
        }

        var byCount = await new ReplyChainReader(harness.Rest, maxMessages: 3, maxCharacters: 1000)
            .ReadAsync(AsTrigger(discord, previous), "answer 7", Bot, CancellationToken.None);
        var byCharacters = await new ReplyChainReader(harness.Rest, maxMessages: 100, maxCharacters: 20)
            .ReadAsync(AsTrigger(discord, previous), "answer 7", Bot, CancellationToken.None);

        Assert.Equal(["answer 5", "message 6", "answer 7"], byCount.Select(t => t.Content));
        Assert.Equal(["message 6", "answer 7"], byCharacters.Select(t => t.Content));
    }
}
