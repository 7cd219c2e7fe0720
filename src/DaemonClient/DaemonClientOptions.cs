namespace Engram.DaemonClient;

/// <summary>How to reach engram-daemon(s) and how hard to try. A record: vary it with <c>with</c>.</summary>
public sealed record DaemonClientOptions
{
    public const string DefaultAddress = "http://127.0.0.1:50051";

    /// <summary>
    /// One daemon: <c>http://host:port</c>, <c>https://host:port</c>, a bare <c>host:port</c> (http), or
    /// <c>unix:/path/daemon.sock</c>. Default http://127.0.0.1:50051.
    /// </summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>Several daemons (boards) behind grpc-dotnet's client-side load balancing; overrides <see cref="Address"/> when set.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary><c>pick_first</c> (fail over in order; default) or <c>round_robin</c>.</summary>
    public string LoadBalancing { get; init; } = "pick_first";

    /// <summary>Bearer token sent with every call (required by daemons listening beyond loopback).</summary>
    public string? BearerToken { get; init; }

    /// <summary>A CA or self-signed certificate (PEM) to trust for https daemons, besides the system's.</summary>
    public string? TrustedCertificatePath { get; init; }

    /// <summary>Longest wait for a stream's first message (acceptance) per attempt. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait, over all attempts, until a stream is accepted. Default 60 s.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a call that has not been accepted yet (daemon unavailable, restarting, queue full). Default 6.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First retry delay; grows exponentially with jitter. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failures in the sampling window that open the circuit breaker. Default 5.</summary>
    public int BreakerMinimumThroughput { get; init; } = 5;

    /// <summary>How long an open breaker refuses calls before trying one. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP/2 keepalive: a dead daemon is noticed within delay + timeout. Defaults 5 s and 3 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public static DaemonClientOptions Default { get; } = new();

    public IReadOnlyList<string> AllAddresses => Addresses.Count > 0 ? Addresses : [Address];

    /// <summary>Checks the options; the message names every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (AllAddresses.Count == 0 || AllAddresses.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("at least one daemon address is required");
        }
        if (LoadBalancing is not ("pick_first" or "round_robin"))
        {
            errors.Add($"load balancing '{LoadBalancing}' is not pick_first or round_robin");
        }
        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            errors.Add($"attempt timeout ({AttemptTimeout}) must be positive and at most the total timeout ({TotalTimeout})");
        }
        if (MaxRetries is < 0 or > 100)
        {
            errors.Add($"max retries {MaxRetries} must be from 0 to 100");
        }
        if (AllAddresses.Count(a => a.StartsWith("unix:", StringComparison.Ordinal)) is > 0 and var unix && (unix > 1 || AllAddresses.Count > 1))
        {
            errors.Add("a unix socket address cannot be combined with other addresses");
        }
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid daemon client options: " + string.Join("; ", errors));
        }
    }
}
