using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace Engram.DaemonClient.Balancing;

/// <summary>
/// Picks a daemon for each call among the connected ones: first those that both admit calls (breaker not open)
/// and say they serve, then those that admit calls; with none, the call fails fast as UNAVAILABLE (the client's
/// retry waits and asks again). pick_first takes the earliest configured address, as gRPC's own pick_first does:
/// while an earlier address that may serve is still connecting on this channel, the call waits for it (bounded by
/// the connect timeout: the connection becomes ready or fails, and either publishes a new picker); round_robin rotates.
/// </summary>
internal sealed class HealthAwarePicker(IReadOnlyList<Subchannel> ready, EndpointHealthRegistry registry, bool roundRobin,
    IReadOnlySet<string> connecting) : SubchannelPicker
{
    private readonly Subchannel[] _ready = ready.OrderBy(s => registry.OrderOf(KeyOf(s))).ToArray();
    private int _next = -1;

    public override PickResult Pick(PickContext context)
    {
        var admitted = _ready.Where(s => registry.Admits(KeyOf(s))).ToArray();
        var serving = admitted.Where(s => registry.MayServe(KeyOf(s))).ToArray();
        if (serving.Length == 0 && admitted.Length > 0 && registry.AnyServingBesides(admitted.Select(KeyOf)))
        {
            // A board that says it serves is not connected on this channel yet: wait for it (the balancer
            // publishes a new picker when it connects) rather than send the call to one that cannot serve it.
            return PickResult.ForQueue();
        }
        var pool = serving.Length > 0 ? serving : admitted;
        if (pool.Length == 0)
        {
            return PickResult.ForFailure(new Status(StatusCode.Unavailable,
                $"every connected daemon has its circuit breaker open ({string.Join(", ", _ready.Select(KeyOf))}); try again shortly"));
        }
        var chosen = roundRobin ? pool[(int)((uint)Interlocked.Increment(ref _next) % pool.Length)] : pool[0];
        if (!roundRobin && EarlierStillConnecting(KeyOf(chosen)))
        {
            return PickResult.ForQueue();
        }
        return PickResult.ForSubchannel(chosen, new Tracker(KeyOf(chosen)));
    }

    private bool EarlierStillConnecting(string chosen)
    {
        var chosenOrder = registry.OrderOf(chosen);
        return connecting.Any(address => registry.OrderOf(address) < chosenOrder && registry.Admits(address) && registry.MayServe(address));
    }

    /// <summary>A subchannel's address as the registry names it (its only address while it is not connected).</summary>
    public static string KeyOf(Subchannel subchannel) =>
        (subchannel.CurrentAddress ?? subchannel.GetAddresses().FirstOrDefault())?.EndPoint is { } endpoint
            ? $"{endpoint.Host}:{endpoint.Port}"
            : "";

    /// <summary>
    /// Tells the call which address it went to. The client charges outcomes (transport failures included: they
    /// surface as UNAVAILABLE) to that address in one place, so nothing is counted twice here.
    /// </summary>
    private sealed class Tracker(string address) : ISubchannelCallTracker
    {
        public void Start() => CallAddress.Report(address);

        public void Complete(CompletionContext context)
        {
        }
    }
}
