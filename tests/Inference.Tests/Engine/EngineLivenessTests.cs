using Engram.Inference.Engine;
using Engram.Inference.Tests.Engine.Specs;

namespace Engram.Inference.Tests.Engine;

/// <summary>
/// What the stall guard and the systemd watchdog act on: a false "stalled" ends a healthy daemon with SIGABRT,
/// a missed one leaves a hung NPU call holding every client.
/// </summary>
public sealed class EngineLivenessTests
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LoadLimit = TimeSpan.FromMinutes(5);

    private static EngineLiveness Liveness(EngineHarness harness) => new(harness.Registry, harness.Time, StallLimit, LoadLimit);

    [Fact]
    public void ARequestGivenTheModelAfterAnIdleSpell_IsNotStalled_BeforeItsBackendHadItsOwnStallLimit()
    {
        var harness = new EngineHarness();
        harness.Time.Advance(TimeSpan.FromSeconds(30)); // nobody asked for anything

        // The engine holds the slot before the generation's task first hears from the backend.
        using var ticket = harness.Slot.Queue.TryEnter();
        Assert.Null(Liveness(harness).Stalled());

        harness.Time.Advance(StallLimit - TimeSpan.FromMilliseconds(100));
        Assert.Null(Liveness(harness).Stalled());
    }

    [Fact]
    public void AWaiterPromotedWhenTheRunningRequestEnds_GetsItsOwnStallLimit()
    {
        var harness = new EngineHarness();
        var running = harness.Slot.Queue.TryEnter()!;
        using var waiting = harness.Slot.Queue.TryEnter()!;
        harness.Slot.Touch(); // the running request's last token
        harness.Time.Advance(TimeSpan.FromSeconds(1.9));

        running.Dispose();
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, waiting.Position);
        Assert.Null(Liveness(harness).Stalled());
    }

    [Fact]
    public void ABackendSilentForTheStallLimit_IsStalled()
    {
        var harness = new EngineHarness();
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        using var ticket = harness.Slot.Queue.TryEnter();
        harness.Slot.Touch(); // one token
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Liveness(harness).Stalled());

        harness.Time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal("model main: no progress from the llama backend for 3 s", Liveness(harness).Stalled());
    }

    [Fact]
    public void AReaderThatPausedTheBackend_IsNotAnEngineStall()
    {
        var harness = new EngineHarness();
        using var ticket = harness.Slot.Queue.TryEnter();
        harness.Slot.PausedByClient = true;

        harness.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(Liveness(harness).Stalled());
    }

    [Fact]
    public void ALoadStartedAfterAnIdleSpell_IsTimedFromItsStart()
    {
        var harness = new EngineHarness();
        harness.Time.Advance(TimeSpan.FromMinutes(30));

        harness.Slot.MarkLoading();
        Assert.Null(Liveness(harness).Stalled());

        harness.Time.Advance(LoadLimit + TimeSpan.FromSeconds(1));
        Assert.Equal("model main: still loading after 301 s", Liveness(harness).Stalled());
    }

    [Fact]
    public void AnIdleModel_IsNeverStalled()
    {
        var harness = new EngineHarness();

        harness.Time.Advance(TimeSpan.FromHours(5));

        Assert.Null(Liveness(harness).Stalled());
    }
}
