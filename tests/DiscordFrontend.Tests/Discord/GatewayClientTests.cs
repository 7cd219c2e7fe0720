using System.Text.Json.Nodes;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Tests.Fakes;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.Discord;

/// <summary>Gateway v10 against the fake Discord: the session stays up through every reconnect Discord asks for, and stops for good only when it must.</summary>
public sealed class GatewayClientTests
{
    private static JsonObject Message(ulong id) => new()
    {
        ["id"] = id.ToString(),
        ["channel_id"] = "5",
        ["author"] = new JsonObject { ["id"] = "42", ["username"] = "u" },
        ["content"] = "hello",
        ["type"] = 0,
    };

    [Fact]
    public async Task Identify_SendsTheTokenAndOnlyTheIntentsAChatBotNeeds_AndHeartbeatsAreAcknowledged()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();

        var ready = await harness.WaitForSessionAsync();
        await harness.Discord.WaitForAsync(() => harness.Discord.Gateway.Heartbeats.Count, n => n >= 3, "three heartbeats");

        var identify = Assert.Single(harness.Discord.Gateway.Identifies);
        Assert.Equal(FakeDiscordServer.Token, identify.Token);
        Assert.Equal(1 | 512 | 4096 | 32768, identify.Intents);
        Assert.False(ready.Resumed);
        Assert.Equal(FakeDiscordServer.BotUserId, ready.Bot.UserId);
        Assert.Equal(FakeDiscordServer.ApplicationId, ready.Bot.ApplicationId);
        Assert.NotNull(harness.Gateway.Latency);
        // The first heartbeat carries the READY sequence; nothing was sent before Identify.
        Assert.Contains(harness.Discord.Gateway.Heartbeats, h => h.Seq == 1);
        Assert.Empty(harness.Discord.Gateway.ProtocolViolations);
    }

    [Fact]
    public async Task Op7Reconnect_ResumesAtTheResumeUrlWithTheLastSequence_WithoutANewIdentify()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();
        await harness.WaitForSessionAsync();
        await harness.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", Message(11));
        await harness.Discord.WaitForAsync(() => harness.Events.OfType<MessageCreated>().Count(), n => n == 1, "the message");

        await harness.Discord.Gateway.SendReconnectAsync();
        var resumed = await harness.WaitForSessionAsync(2);

        var resume = Assert.Single(harness.Discord.Gateway.Resumes);
        Assert.True(resume.OnResumeUrl);
        Assert.Equal(harness.Discord.Gateway.SessionId, resume.SessionId);
        Assert.Equal(2, resume.Seq);
        Assert.True(resumed.Resumed);
        Assert.Single(harness.Discord.Gateway.Identifies);
        Assert.Contains(4000, harness.Discord.Gateway.ClientCloses); // never 1000, which would end the session
    }

    [Fact]
    public async Task ReconnectInsteadOfHello_ConnectsAgainAndGetsASession()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.Gateway.ReconnectBeforeHello = true;
        harness.Start();

        await harness.WaitForSessionAsync();

        Assert.Equal(2, harness.Discord.Gateway.Connections);
        Assert.Empty(harness.Discord.Gateway.ProtocolViolations);
    }

    [Fact]
    public async Task MissedEvents_AreReplayedOnResume()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();
        await harness.WaitForSessionAsync();

        harness.Discord.Gateway.DropLive(); // TCP dies, no close code
        await harness.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", Message(21)); // sent while the bot is away
        await harness.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", Message(22));
        await harness.WaitForSessionAsync(2);

        var messages = await harness.Discord.WaitForAsync(() => harness.Events.OfType<MessageCreated>().Select(m => m.Message.Id).ToList(),
            ids => ids.Count >= 2, "the missed messages");
        Assert.Equal([21ul, 22ul], messages);
        Assert.Single(harness.Discord.Gateway.Identifies);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InvalidSession_ResumesWhenResumable_ElseIdentifiesAfreshWithinTheIdentifyBudget(bool resumable)
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();
        await harness.WaitForSessionAsync();

        await harness.Discord.Gateway.SendInvalidSessionAsync(resumable);
        var next = await harness.WaitForSessionAsync(2);

        Assert.Equal(resumable, next.Resumed);
        var identifies = harness.Discord.Gateway.Identifies.ToArray();
        Assert.Equal(resumable ? 1 : 2, identifies.Length);
        Assert.Equal(resumable ? 1 : 0, harness.Discord.Gateway.Resumes.Count);
        if (!resumable)
        {
            Assert.True(identifies[1].At - identifies[0].At >= harness.Options.IdentifyInterval - TimeSpan.FromMilliseconds(20),
                $"identifies {identifies[1].At - identifies[0].At} apart; the budget allows one per {harness.Options.IdentifyInterval}");
        }
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4007, false)]
    [InlineData(4009, false)]
    public async Task ServerClose_ResumesOrIdentifiesAsTheCodeSays(int code, bool resumes)
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();
        await harness.WaitForSessionAsync();

        await harness.Discord.Gateway.CloseLiveAsync(code);
        var next = await harness.WaitForSessionAsync(2);

        Assert.Equal(resumes, next.Resumed);
        Assert.Equal(resumes ? 1 : 2, harness.Discord.Gateway.Identifies.Count);
    }

    [Theory]
    [InlineData(4004, "token")]
    [InlineData(4014, "MESSAGE CONTENT intent")]
    public async Task FatalClose_StopsWithAClearErrorInsteadOfALoop(int code, string hint)
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.Gateway.CloseOnIdentify = code;
        harness.Start();

        var error = await Assert.ThrowsAsync<DiscordFatalException>(() => harness.Run.WithTimeout());
        await Task.Delay(700); // time for a loop to show itself, were there one

        Assert.Equal(code, error.CloseCode);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Discord.Gateway.Identifies);
    }

    [Fact]
    public async Task UnacknowledgedHeartbeat_IsAZombie_TheClientReconnectsAndResumes()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();
        await harness.WaitForSessionAsync();

        harness.Discord.Gateway.StopAcking = true;
        await harness.Discord.WaitForAsync(() => harness.Discord.Gateway.Resumes.Count, n => n >= 1, "a resume after the zombie");
        harness.Discord.Gateway.StopAcking = false;
        var resumed = await harness.WaitForSessionAsync(2);

        Assert.True(resumed.Resumed);
        Assert.DoesNotContain(1000, harness.Discord.Gateway.ClientCloses.Where(c => c is not null).Cast<int>());
        Assert.Single(harness.Discord.Gateway.Identifies);
    }

    [Fact]
    public async Task Shutdown_ClosesWith1000()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Start();
        await harness.WaitForSessionAsync();

        await harness.StopClientAsync();

        await harness.Discord.WaitForAsync(() => harness.Discord.Gateway.ClientCloses.ToList(), closes => closes.Contains(1000), "a 1000 close");
    }

    [Fact]
    public async Task NoSessionStartsLeftToday_WaitsForTheBudgetToResetBeforeIdentifying()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.SessionStartLimit = (Remaining: 0, ResetAfterMs: 800);
        var started = DateTimeOffset.UtcNow;
        harness.Start();

        await harness.WaitForSessionAsync();

        var identify = Assert.Single(harness.Discord.Gateway.Identifies);
        Assert.True(identify.At - started >= TimeSpan.FromMilliseconds(750), $"identified {identify.At - started} after start");
    }
}
