using Engram.DiscordFrontend.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Engram.DiscordFrontend.Tests.Routing;

public sealed class RequestRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AUserOverTheLimit_IsRefused_ToldOnce_AndLetInWhenTheWindowMoves()
    {
        var limiter = new RequestRateLimiter(perUser: 2, perChannel: 100, TimeSpan.FromSeconds(60), _time);

        Assert.True(limiter.TryAcquire(1, 5).Allowed);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(1, 5).Allowed);
        var refused = limiter.TryAcquire(1, 5);
        var again = limiter.TryAcquire(1, 5);
        var otherUser = limiter.TryAcquire(2, 5);
        _time.Advance(TimeSpan.FromSeconds(50));
        var later = limiter.TryAcquire(1, 5);

        Assert.Equal((false, true, "user"), (refused.Allowed, refused.Notify, refused.Scope));
        Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter);
        Assert.False(again.Notify);
        Assert.True(otherUser.Allowed);
        Assert.True(later.Allowed);
    }

    [Fact]
    public void ABusyChannel_IsLimitedAcrossUsers()
    {
        var limiter = new RequestRateLimiter(perUser: 10, perChannel: 2, TimeSpan.FromSeconds(60), _time);

        limiter.TryAcquire(1, 5);
        limiter.TryAcquire(2, 5);
        var third = limiter.TryAcquire(3, 5);

        Assert.Equal((false, "channel"), (third.Allowed, third.Scope));
        Assert.True(limiter.TryAcquire(3, 6).Allowed);
    }
}
