namespace Engram.DiscordFrontend.Limits;

/// <summary>
/// At most <c>capacity</c> events per key in any <c>window</c> (a sliding window of timestamps), for the bot's
/// per-user and per-channel request limits, its per-channel edit budget and the gateway's send cap. Keys whose
/// window has emptied are dropped, so a bot that has seen a million users holds only the recent ones.
/// </summary>
public sealed class SlidingWindowLimiter<TKey>(int capacity, TimeSpan window, TimeProvider time) where TKey : notnull
{
    private readonly Dictionary<TKey, Queue<long>> _windows = [];
    private readonly Lock _lock = new();
    private long _lastSweep = time.GetTimestamp();

    /// <summary>Keys that currently hold a window (recent events); idle ones are evicted.</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_lock)
            {
                Sweep(force: true);
                return _windows.Count;
            }
        }
    }

    /// <summary>Zero when <paramref name="key"/> has room now; otherwise how long until its oldest event leaves the window.</summary>
    public TimeSpan TimeUntilRoom(TKey key)
    {
        lock (_lock)
        {
            return WaitOf(key);
        }
    }

    /// <summary>Counts an event for <paramref name="key"/> now, whether or not it had room (callers check first).</summary>
    public void Record(TKey key)
    {
        lock (_lock)
        {
            Recorded(key);
        }
    }

    /// <summary>Takes room for one event if there is some; otherwise says how long until there is.</summary>
    public bool TryAcquire(TKey key, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            retryAfter = WaitOf(key);
            if (retryAfter > TimeSpan.Zero)
            {
                return false;
            }
            Recorded(key);
            return true;
        }
    }

    /// <summary>Waits until <paramref name="key"/> has room, then takes it.</summary>
    public async Task AcquireAsync(TKey key, CancellationToken cancellationToken)
    {
        while (!TryAcquire(key, out var wait))
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    // Must hold _lock.
    private TimeSpan WaitOf(TKey key)
    {
        if (!_windows.TryGetValue(key, out var stamps) || Prune(stamps) < capacity)
        {
            return TimeSpan.Zero;
        }
        return window - time.GetElapsedTime(stamps.Peek());
    }

    // Must hold _lock.
    private void Recorded(TKey key)
    {
        if (!_windows.TryGetValue(key, out var stamps))
        {
            _windows[key] = stamps = new Queue<long>();
        }
        stamps.Enqueue(time.GetTimestamp());
        Sweep(force: false);
    }

    private int Prune(Queue<long> stamps)
    {
        while (stamps.Count > 0 && time.GetElapsedTime(stamps.Peek()) >= window)
        {
            stamps.Dequeue();
        }
        return stamps.Count;
    }

    // At most once a window: drop keys with no event inside it.
    private void Sweep(bool force)
    {
        if (!force && time.GetElapsedTime(_lastSweep) < window)
        {
            return;
        }
        _lastSweep = time.GetTimestamp();
        foreach (var (key, stamps) in _windows.ToArray())
        {
            if (Prune(stamps) == 0)
            {
                _windows.Remove(key);
            }
        }
    }
}
