namespace Engram.DaemonClient;

/// <summary>How to reach an engram-daemon.</summary>
public sealed record DaemonClientOptions
{
    public const string DefaultAddress = "http://127.0.0.1:50051";

    /// <summary>The daemon's address, e.g. http://127.0.0.1:50051 (a bare HOST:PORT means http).</summary>
    public string Address { get; init; } = DefaultAddress;

    public static DaemonClientOptions Default { get; } = new();

    public Uri AddressUri => new(Address.Contains("://", StringComparison.Ordinal) ? Address : "http://" + Address);
}
