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

    [Fact]
    public void UsersAndChannelsWithNothingInTheWindow_AreForgotten()
    {
        var limiter = new RequestRateLimiter(perUser: 2, perChannel: 100, TimeSpan.FromSeconds(60), _time);
        for (ulong user = 0; user < 1000; user++)
        {
            limiter.TryAcquire(user, user % 10);
        }
        Assert.Equal((1000, 10), limiter.Tracked);

        _time.Advance(TimeSpan.FromSeconds(61));
        limiter.TryAcquire(5000, 1);

        Assert.Equal((1, 1), limiter.Tracked);
    }
}
