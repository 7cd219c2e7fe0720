namespace Engram.DaemonClient.Balancing;

/// <summary>An address's breaker: closed (in use), open (skipped until it may be tried), or half-open (one trial).</summary>
public enum EndpointBreakerState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>What the client knows of one daemon address: its grpc.health.v1 status (null: not known yet) and its breaker.</summary>
public sealed record EndpointStatus(string Address, bool? Serving, EndpointBreakerState Breaker, int ConsecutiveFailures);

/// <summary>
/// Per-address state shared by the health watchers, the balancer's picker and the client: whether each daemon
/// says it is serving, and a circuit breaker per address that opens after consecutive failures and lets calls
/// through again to try once its break is over (half-open: one more failure opens it again). A broken board is skipped without holding up the healthy ones.
/// </summary>
public sealed class EndpointHealthRegistry
{
    private readonly Dictionary<string, Entry> _entries;
    private readonly IReadOnlyList<string> _order;
    private readonly int _failureThreshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public EndpointHealthRegistry(IReadOnlyList<string> addresses, int failureThreshold, TimeSpan breakDuration, TimeProvider time)
    {
        _order = addresses;
        _entries = addresses.ToDictionary(a => a, _ => new Entry());
        _failureThreshold = Math.Max(1, failureThreshold);
        _breakDuration = breakDuration;
        _time = time;
    }

    /// <summary>The configured order (pick_first prefers earlier addresses).</summary>
    public int OrderOf(string address)
    {
        for (var i = 0; i < _order.Count; i++)
        {
            if (_order[i] == address)
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    public void SetServing(string address, bool? serving) => Update(address, entry => entry.Serving = serving);

    public void RecordSuccess(string address) => Update(address, entry =>
    {
        entry.Failures = 0;
        entry.OpenUntil = null;
    });

    public void RecordFailure(string address) => Update(address, entry =>
    {
        entry.Failures++;
        if (entry.Failures >= _failureThreshold)
        {
            // Opens, or opens again after a failed trial.
            entry.OpenUntil = _time.GetUtcNow() + _breakDuration;
        }
    });

    /// <summary>Whether calls may go to the address now: its breaker is closed, or half-open for a trial.</summary>
    public bool Admits(string address)
    {
        lock (_lock)
        {
            return !_entries.TryGetValue(address, out var entry) || StateOf(entry) != EndpointBreakerState.Open;
        }
    }

    /// <summary>False only when the daemon said NOT_SERVING (its default model is not ready).</summary>
    public bool MayServe(string address)
    {
        lock (_lock)
        {
            return !_entries.TryGetValue(address, out var entry) || entry.Serving != false;
        }
    }

    /// <summary>Whether an address other than <paramref name="these"/> says it serves and admits calls.</summary>
    public bool AnyServingBesides(IEnumerable<string> these)
    {
        var excluded = these.ToHashSet();
        lock (_lock)
        {
            return _entries.Any(e => !excluded.Contains(e.Key) && e.Value.Serving == true && StateOf(e.Value) != EndpointBreakerState.Open);
        }
    }

    public IReadOnlyList<EndpointStatus> Snapshot()
    {
        lock (_lock)
        {
            return _order.Select(a => new EndpointStatus(a, _entries[a].Serving, StateOf(_entries[a]), _entries[a].Failures)).ToArray();
        }
    }

    private EndpointBreakerState StateOf(Entry entry) => entry.OpenUntil is not { } until
        ? EndpointBreakerState.Closed
        : _time.GetUtcNow() < until ? EndpointBreakerState.Open : EndpointBreakerState.HalfOpen;

    private void Update(string address, Action<Entry> change)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(address, out var entry))
            {
                change(entry);
            }
        }
    }

    private sealed class Entry
    {
        public bool? Serving;
        public int Failures;
        public DateTimeOffset? OpenUntil;
    }
}
