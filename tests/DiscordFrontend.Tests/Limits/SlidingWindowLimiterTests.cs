using Engram.DiscordFrontend.Limits;
using Microsoft.Extensions.Time.Testing;

namespace Engram.DiscordFrontend.Tests.Limits;

public sealed class SlidingWindowLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task AcquireAsync_AKeysBudgetIsShared_OtherKeysAreUnaffected()
    {
        var budget = new SlidingWindowLimiter<ulong>(capacity: 2, TimeSpan.FromSeconds(5), _time);

        await budget.AcquireAsync(1, CancellationToken.None);
        await budget.AcquireAsync(1, CancellationToken.None);
        var third = budget.AcquireAsync(1, CancellationToken.None);
        await budget.AcquireAsync(2, CancellationToken.None); // another key goes at once

        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void TryAcquire_WhenFull_SaysWhenTheOldestEventLeavesTheWindow()
    {
        var limiter = new SlidingWindowLimiter<string>(capacity: 1, TimeSpan.FromSeconds(60), _time);

        Assert.True(limiter.TryAcquire("a", out _));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(limiter.TryAcquire("a", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
        _time.Advance(retryAfter);
        Assert.True(limiter.TryAcquire("a", out _));
    }

    [Fact]
    public void IdleKeys_AreEvictedOnceTheirWindowEmpties()
    {
        var limiter = new SlidingWindowLimiter<int>(capacity: 3, TimeSpan.FromSeconds(60), _time);
        for (var user = 0; user < 10_000; user++)
        {
            limiter.Record(user);
        }
        Assert.Equal(10_000, limiter.TrackedKeys);

        _time.Advance(TimeSpan.FromSeconds(61));
        limiter.Record(-1); // any activity after a window sweeps the idle ones

        Assert.Equal(1, limiter.TrackedKeys);
    }
}
