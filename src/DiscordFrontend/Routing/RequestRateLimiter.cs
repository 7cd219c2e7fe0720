using System.Collections.Concurrent;

namespace Engram.DiscordFrontend.Routing;

/// <summary>The answer of <see cref="RequestRateLimiter.TryAcquire"/>: allowed, or refused with when to try again and whether to say so.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter, bool Notify, string Scope);

/// <summary>
/// Per-user and per-channel limits on answered requests (sliding windows), so one user or one busy channel
/// cannot monopolise a board that answers one request at a time. A refused user hears it once per window.
/// </summary>
public sealed class RequestRateLimiter(int perUser, int perChannel, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<ulong, Queue<long>> _users = new();
    private readonly ConcurrentDictionary<ulong, Queue<long>> _channels = new();
    private readonly ConcurrentDictionary<ulong, long> _notified = new();
    private readonly Lock _lock = new();

    public RateDecision TryAcquire(ulong userId, ulong channelId)
    {
        lock (_lock)
        {
            var user = Prune(_users.GetOrAdd(userId, _ => new Queue<long>()));
            var channel = Prune(_channels.GetOrAdd(channelId, _ => new Queue<long>()));
            var (full, scope) = user.Count >= perUser ? (user, "user") : channel.Count >= perChannel ? (channel, "channel") : (null, "");
            if (full is not null)
            {
                var retryAfter = window - time.GetElapsedTime(full.Peek());
                var notify = !_notified.TryGetValue(userId, out var last) || time.GetElapsedTime(last) >= window;
                if (notify)
                {
                    _notified[userId] = time.GetTimestamp();
                }
                return new RateDecision(false, retryAfter, notify, scope);
            }
            var now = time.GetTimestamp();
            user.Enqueue(now);
            channel.Enqueue(now);
            return new RateDecision(true, TimeSpan.Zero, false, "");
        }
    }

    private Queue<long> Prune(Queue<long> stamps)
    {
        while (stamps.Count > 0 && time.GetElapsedTime(stamps.Peek()) >= window)
        {
            stamps.Dequeue();
        }
        return stamps;
    }
}
