using System.Net;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Tests.Fakes;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.Discord;

/// <summary>REST against the fake Discord: rate limits honoured from what Discord says, refusals never retried.</summary>
public sealed class DiscordRestClientTests
{
    private static MessageDraft Draft(string text) => new() { Content = text };

    private static int Count(FakeDiscordServer discord, string method, string prefix) =>
        discord.Requests.Count(r => r.Method == method && r.Path.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task CreateMessage_SendsAuthUserAgentAndJson_AndNeverLetsTheTextPingAnyone()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();

        var created = await harness.Rest.CreateMessageAsync(5, Draft("hi @everyone"), CancellationToken.None);

        var stored = harness.Discord.Messages[created.Id];
        Assert.Equal("hi @everyone", stored.Content);
        Assert.Equal("""{"parse":[],"replied_user":false}""", stored.AllowedMentions!.ToJsonString());
    }

    [Fact]
    public async Task RateLimited_WaitsRetryAfter_ThenPostsExactlyOnce()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.RateLimitNext("channels/5/messages", retryAfterSeconds: 0.4);

        await harness.Rest.CreateMessageAsync(5, Draft("after the limit"), CancellationToken.None);

        var attempts = harness.Discord.Requests.Where(r => r.Path == "channels/5/messages").ToArray();
        Assert.Equal([429, 200], attempts.Select(a => a.Status));
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(380), $"retried after {attempts[1].At - attempts[0].At}");
        Assert.Single(harness.Discord.Messages.Values, m => m.Content == "after the limit");
    }

    [Fact]
    public async Task GlobalRateLimit_HoldsBackEveryRoute()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.RateLimitNext("channels/5/messages", retryAfterSeconds: 0.6, global: true);

        var first = harness.Rest.CreateMessageAsync(5, Draft("one"), CancellationToken.None);
        await harness.Discord.WaitForAsync(() => harness.Discord.Requests.Count, n => n >= 1, "the limited request");
        var limitedAt = harness.Discord.Requests.First().At;
        await harness.Rest.CreateMessageAsync(6, Draft("other channel"), CancellationToken.None);
        await first;

        var otherChannel = harness.Discord.Requests.Single(r => r.Path == "channels/6/messages" && r.Status == 200);
        Assert.True(otherChannel.At - limitedAt >= TimeSpan.FromMilliseconds(550), $"the other route went {otherChannel.At - limitedAt} after a 0.6 s global limit");
        Assert.InRange(harness.Discord.GlobalLimitHits, 0, 1); // at most the one already on its way when the limit was announced
        Assert.Equal(2, harness.Discord.Messages.Count);
    }

    [Fact]
    public async Task HtmlTooManyRequests_IsACloudflareBan_NotRetried_AndPausesEverything()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.HtmlRateLimitNext("channels/5/messages");

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => harness.Rest.CreateMessageAsync(5, Draft("x"), CancellationToken.None));
        var refusedAt = DateTimeOffset.UtcNow;
        await harness.Rest.CreateMessageAsync(6, Draft("later"), CancellationToken.None);

        Assert.Contains("Cloudflare", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Count(harness.Discord, "POST", "channels/5/messages"));
        var later = harness.Discord.Requests.Single(r => r.Path == "channels/6/messages");
        Assert.True(later.At - refusedAt >= TimeSpan.FromMilliseconds(900), $"the next call went {later.At - refusedAt} after the ban");
    }

    [Fact]
    public async Task Unauthorized_StopsTheBot_WithoutRetrying()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.RejectToken = true;

        var error = await Assert.ThrowsAsync<DiscordFatalException>(() => harness.Rest.CreateMessageAsync(5, Draft("x"), CancellationToken.None));

        Assert.Contains("token", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Discord.Requests);
    }

    [Fact]
    public async Task Forbidden_IsNotRetried()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        var someoneElses = await harness.Discord.PostUserMessageAsync(5, "mine");

        var error = await Assert.ThrowsAsync<DiscordRestException>(() =>
            harness.Rest.EditMessageAsync(5, someoneElses.Id, Draft("edited"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Equal(1, Count(harness.Discord, "PATCH", "channels/5/messages"));
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoff()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        harness.Discord.FailNext("channels/5/messages", 502, count: 2);

        await harness.Rest.CreateMessageAsync(5, Draft("eventually"), CancellationToken.None);

        Assert.Equal([502, 502, 200], harness.Discord.Requests.Where(r => r.Path == "channels/5/messages").Select(r => r.Status));
    }

    [Fact]
    public async Task RetriedCreate_WithANonce_PostsOnce()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();
        var draft = Draft("once") with { Nonce = "n-1", EnforceNonce = true };

        var first = await harness.Rest.CreateMessageAsync(5, draft, CancellationToken.None);
        var again = await harness.Rest.CreateMessageAsync(5, draft, CancellationToken.None);

        Assert.Equal(first.Id, again.Id);
        Assert.Single(harness.Discord.Messages);
    }

    [Fact]
    public async Task MissingMessage_ReadsAsNull()
    {
        await using var harness = await DiscordClientHarness.CreateAsync();

        Assert.Null(await harness.Rest.GetMessageAsync(5, 12345, CancellationToken.None));
    }
}
