using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Routing;

namespace Engram.DiscordFrontend.Tests.Routing;

public sealed class RoutingRulesTests
{
    private static readonly BotIdentity Bot = new(100, "engram", 200);
    private static readonly DiscordUser Alice = new() { Id = 1, Username = "alice" };

    private static DiscordMessage Message(string content, DiscordUser? author = null, ulong? guild = 7, ulong channel = 5, IReadOnlyList<ulong>? roles = null,
        DiscordMessage? replyTo = null) => new()
    {
        Id = 9,
        ChannelId = channel,
        GuildId = guild,
        Author = author ?? Alice,
        Content = content,
        Member = guild is null ? null : new GuildMember { Roles = roles ?? [] },
        ReferencedMessage = replyTo,
        Mentions = content.Contains("<@100>", StringComparison.Ordinal) ? [new DiscordUser { Id = 100 }] : [],
    };

    private static RouteDecision Decide(DiscordMessage message, RoutingOptions? options = null) => new RoutingRules(options ?? new RoutingOptions()).Decide(message, Bot);

    [Fact]
    public void Mention_IsAnswered_WithoutTheMention() =>
        Assert.Equal((Route.Answer, "What is 2+2?"), (Decide(Message("<@100> What is 2+2?")).Route, Decide(Message("<@100> What is 2+2?")).Text));

    [Fact]
    public void DirectMessage_IsAnswered() => Assert.Equal(Route.Answer, Decide(Message("hi", guild: null)).Route);

    [Fact]
    public void ReplyToTheBot_IsAnswered() =>
        Assert.Equal(Route.Answer, Decide(Message("and 3+3?", replyTo: new DiscordMessage { Author = new DiscordUser { Id = 100 } })).Route);

    [Fact]
    public void ItsOwnMessagesAndOtherBots_AreIgnored()
    {
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi", author: new DiscordUser { Id = 100, Bot = true })).Route);
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi", author: new DiscordUser { Id = 3, Bot = true })).Route);
    }

    [Fact]
    public void UnaddressedMessage_IsIgnored_ExceptInAListeningChannel_WhereTheClassifierDecides()
    {
        Assert.Equal(Route.Ignore, Decide(Message("what do you think about cats?")).Route);
        Assert.Equal(Route.Classify, Decide(Message("what do you think about cats?"), new RoutingOptions { ListenChannels = [5] }).Route);
    }

    [Fact]
    public void DenyLists_WinOverEverything()
    {
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi"), new RoutingOptions { DeniedUsers = [1], AllowedUsers = [1] }).Route);
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi", roles: [55]), new RoutingOptions { DeniedRoles = [55] }).Route);
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi"), new RoutingOptions { DeniedChannels = [5] }).Route);
    }

    [Fact]
    public void AllowLists_LetInOnlyWhoIsListed()
    {
        var roles = new RoutingOptions { AllowedRoles = [55] };
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi"), roles).Route);
        Assert.Equal(Route.Answer, Decide(Message("<@100> hi", roles: [55]), roles).Route);
        Assert.Equal(Route.Ignore, Decide(Message("<@100> hi"), new RoutingOptions { AllowedChannels = [6] }).Route);
    }

    [Fact]
    public void DirectMessages_CanBeTurnedOff() =>
        Assert.Equal(Route.Ignore, Decide(Message("hi", guild: null), new RoutingOptions { AllowDms = false }).Route);

    [Theory]
    [InlineData("<@100> !health", "health")]
    [InlineData("<@!100> !help", "help")]
    [InlineData("<@100>", "help")]
    public void Commands_AreRecognisedWithoutTheModel(string content, string command)
    {
        var decision = Decide(Message(content));
        Assert.Equal((Route.Command, command), (decision.Route, decision.Command));
    }
}
