using Engram.DiscordFrontend.Discord.Rest;
using Microsoft.Extensions.Time.Testing;

namespace Engram.DiscordFrontend.Tests.Discord;

public sealed class RestRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private static RestRoute Route(ulong channel) => RestRoute.Channel(HttpMethod.Post, "channels/{channel}/messages", channel, $"channels/{channel}/messages");

    [Fact]
    public async Task AGlobalLimit_HoldsEveryRoute_UntilItEnds()
    {
        var limiter = new RestRateLimiter(_time);
        limiter.BlockAll(TimeSpan.FromSeconds(2));

        var waiting = limiter.AcquireAsync(Route(6), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Leave();
    }

    [Fact]
    public async Task ARouteLimit_HoldsOnlyThatRoute()
    {
        var limiter = new RestRateLimiter(_time);
        var bucket = await limiter.AcquireAsync(Route(5), CancellationToken.None);
        limiter.BlockRoute(bucket, TimeSpan.FromSeconds(1));
        bucket.Leave();

        var sameRoute = limiter.AcquireAsync(Route(5), CancellationToken.None);
        var otherChannel = await limiter.AcquireAsync(Route(6), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        otherChannel.Leave();
        Assert.False(sameRoute.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        (await sameRoute.WaitAsync(TimeSpan.FromSeconds(5))).Leave();
    }
}
