using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace Engram.DaemonClient.Balancing;

/// <summary>
/// The channel's control helper, seen through: it records every subchannel's connectivity as it changes, because
/// the base balancer hands the picker only the ready ones and pick_first must know which earlier address is still
/// connecting. Its callback is registered before the balancer's own, so the states are current when a picker is built.
/// </summary>
internal sealed class SubchannelStates(IChannelControlHelper inner) : IChannelControlHelper
{
    private readonly ConcurrentDictionary<Subchannel, ConnectivityState> _states = new();

    public Subchannel CreateSubchannel(SubchannelOptions options)
    {
        var subchannel = inner.CreateSubchannel(options);
        _states[subchannel] = ConnectivityState.Idle;
        subchannel.OnStateChanged(state =>
        {
            if (state.State == ConnectivityState.Shutdown)
            {
                _states.TryRemove(subchannel, out _);
            }
            else
            {
                _states[subchannel] = state.State;
            }
        });
        return subchannel;
    }

    public void UpdateState(BalancerState state) => inner.UpdateState(state);

    public void RefreshResolver() => inner.RefreshResolver();

    /// <summary>Addresses whose connection is being made (idle or connecting): they will be ready or failed shortly.</summary>
    public IReadOnlySet<string> Connecting() => _states
        .Where(s => s.Value is ConnectivityState.Idle or ConnectivityState.Connecting)
        .Select(s => HealthAwarePicker.KeyOf(s.Key))
        .ToHashSet();
}
