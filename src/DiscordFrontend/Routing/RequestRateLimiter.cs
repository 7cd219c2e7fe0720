using Engram.DiscordFrontend.Limits;

namespace Engram.DiscordFrontend.Routing;

/// <summary>The answer of <see cref="RequestRateLimiter.TryAcquire"/>: allowed, or refused with when to try again and whether to say so.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter, bool Notify, string Scope);

/// <summary>
/// Per-user and per-channel limits on answered requests (sliding windows), so one user or one busy channel
/// cannot monopolise a board that answers one request at a time. A refused user hears it once per window.
/// </summary>
public sealed class RequestRateLimiter(int perUser, int perChannel, TimeSpan window, TimeProvider time)
{
    private readonly SlidingWindowLimiter<ulong> _users = new(perUser, window, time);
    private readonly SlidingWindowLimiter<ulong> _channels = new(perChannel, window, time);
    private readonly SlidingWindowLimiter<ulong> _notices = new(1, window, time);
    private readonly Lock _lock = new();

    public RateDecision TryAcquire(ulong userId, ulong channelId)
    {
        // Both limits are checked before either is charged, so a refusal costs nothing.
        lock (_lock)
        {
            var (wait, scope) = _users.TimeUntilRoom(userId) is { Ticks: > 0 } user ? (user, "user")
                : _channels.TimeUntilRoom(channelId) is { Ticks: > 0 } channel ? (channel, "channel")
                : (TimeSpan.Zero, "");
            if (wait > TimeSpan.Zero)
            {
                return new RateDecision(false, wait, _notices.TryAcquire(userId, out _), scope);
            }
            _users.Record(userId);
            _channels.Record(channelId);
            return new RateDecision(true, TimeSpan.Zero, false, "");
        }
    }

    /// <summary>Users and channels with requests inside the window (the others are forgotten).</summary>
    public (int Users, int Channels) Tracked => (_users.TrackedKeys, _channels.TrackedKeys);
}
