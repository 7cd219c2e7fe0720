using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace Engram.DaemonClient.Balancing;

/// <summary>
/// grpc-dotnet's own subchannel management (connect, reconnect with backoff, the ready set) with Engram's
/// picker: health and per-address breakers decide among the connected daemons at each pick. Registered as a
/// policy of the channel, so the channel still picks the address and the Polly pipeline wraps the call.
/// </summary>
internal sealed class HealthAwareLoadBalancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, EndpointHealthRegistry registry, bool roundRobin)
    : SubchannelsLoadBalancer(controller, loggerFactory)
{
    public const string PolicyName = "engram_health_aware";

    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
        new HealthAwarePicker(readySubchannels, registry, roundRobin);
}

internal sealed class HealthAwareLoadBalancerFactory(EndpointHealthRegistry registry, bool roundRobin) : LoadBalancerFactory
{
    public override string Name => HealthAwareLoadBalancer.PolicyName;

    public override LoadBalancer Create(LoadBalancerOptions options) =>
        new HealthAwareLoadBalancer(options.Controller, options.LoggerFactory, registry, roundRobin);
}
