using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace Engram.DaemonClient.Balancing;

/// <summary>
/// grpc-dotnet's own subchannel management (connect, reconnect with backoff, the ready set) with Engram's
/// picker: health and per-address breakers decide among the connected daemons at each pick. Registered as a
/// policy of the channel, so the channel still picks the address and the Polly pipeline wraps the call.
/// </summary>
internal sealed class HealthAwareLoadBalancer : SubchannelsLoadBalancer
{
    public const string PolicyName = "engram_health_aware";

    private readonly SubchannelStates _states;
    private readonly EndpointHealthRegistry _registry;
    private readonly bool _roundRobin;

    public HealthAwareLoadBalancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, EndpointHealthRegistry registry, bool roundRobin)
        : this(new SubchannelStates(controller), loggerFactory, registry, roundRobin)
    {
    }

    private HealthAwareLoadBalancer(SubchannelStates states, ILoggerFactory loggerFactory, EndpointHealthRegistry registry, bool roundRobin)
        : base(states, loggerFactory)
    {
        _states = states;
        _registry = registry;
        _roundRobin = roundRobin;
    }

    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
        new HealthAwarePicker(readySubchannels, _registry, _roundRobin, _states.Connecting());
}

internal sealed class HealthAwareLoadBalancerFactory(EndpointHealthRegistry registry, bool roundRobin) : LoadBalancerFactory
{
    public override string Name => HealthAwareLoadBalancer.PolicyName;

    public override LoadBalancer Create(LoadBalancerOptions options) =>
        new HealthAwareLoadBalancer(options.Controller, options.LoggerFactory, registry, roundRobin);
}
