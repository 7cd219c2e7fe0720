using Engram.DaemonClient.Balancing;
using Microsoft.Extensions.Time.Testing;

namespace Engram.DaemonClient.Tests;

public sealed class EndpointHealthRegistryTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EndpointHealthRegistry _registry;

    public EndpointHealthRegistryTests() => _registry = new EndpointHealthRegistry(["a:1", "b:2"], failureThreshold: 3, TimeSpan.FromSeconds(5), _time);

    private EndpointStatus Status(string address) => _registry.Snapshot().Single(s => s.Address == address);

    [Fact]
    public void Breaker_OpensAfterConsecutiveFailures_ForThatAddressOnly()
    {
        _registry.RecordFailure("a:1");
        _registry.RecordFailure("a:1");
        Assert.True(_registry.Admits("a:1"));

        _registry.RecordFailure("a:1");

        Assert.False(_registry.Admits("a:1"));
        Assert.Equal(EndpointBreakerState.Open, Status("a:1").Breaker);
        Assert.True(_registry.Admits("b:2"));
    }

    [Fact]
    public void ASuccess_BetweenFailures_StartsTheCountAgain()
    {
        _registry.RecordFailure("a:1");
        _registry.RecordFailure("a:1");
        _registry.RecordSuccess("a:1");
        _registry.RecordFailure("a:1");

        Assert.Equal((EndpointBreakerState.Closed, 1), (Status("a:1").Breaker, Status("a:1").ConsecutiveFailures));
    }

    [Fact]
    public void AfterTheBreak_CallsMayTryAgain_OneMoreFailureReopens_ASuccessCloses()
    {
        for (var i = 0; i < 3; i++)
        {
            _registry.RecordFailure("a:1");
        }
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(EndpointBreakerState.HalfOpen, Status("a:1").Breaker);
        Assert.True(_registry.Admits("a:1"));

        _registry.RecordFailure("a:1");
        Assert.False(_registry.Admits("a:1"));

        _time.Advance(TimeSpan.FromSeconds(5));
        _registry.RecordSuccess("a:1");
        Assert.Equal(EndpointBreakerState.Closed, Status("a:1").Breaker);
    }

    [Fact]
    public void OnlyADaemonThatSaysNotServing_IsAvoided_UnknownIsGivenTheBenefitOfTheDoubt()
    {
        _registry.SetServing("a:1", false);
        _registry.SetServing("b:2", null);

        Assert.False(_registry.MayServe("a:1"));
        Assert.True(_registry.MayServe("b:2"));
        Assert.Equal(["a:1", "b:2"], _registry.Snapshot().Select(s => s.Address));
    }
}
