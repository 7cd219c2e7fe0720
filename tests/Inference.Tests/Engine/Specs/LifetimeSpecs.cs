using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine.Specs;

/// <summary>
/// Every way a generation can end without the model waiting for anyone: the caller leaves, the reader stalls,
/// the request times out, the daemon stops.
/// </summary>
public sealed class LifetimeSpecs
{
    [Fact]
    public async Task ACallerThatLeavesMidStream_StopsTheBackendAndFreesTheModel()
    {
        var harness = new EngineHarness();
        using var leaving = new CancellationTokenSource();
        var reader = await harness.StartAsync(cancellationToken: leaving.Token);
        var generation = (await harness.Model.NextGenerationAsync()).Emit("a", "b");
        await EngineHarness.Eventually(() => reader.Text == "ab", "two tokens arrived");

        await leaving.CancelAsync();
        await generation.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await EngineHarness.Eventually(() => !harness.Slot.Queue.IsBusy, "the slot is free");

        Assert.Equal(0, harness.Inflight.Open);
        Assert.Null(reader.Finished);
    }

    [Fact]
    public async Task AReaderThatStopsReading_LosesItsGeneration_AndTheNextRequestRuns()
    {
        var harness = new EngineHarness(limits: GenerationLimits.Default with { WriteStallTimeout = TimeSpan.FromSeconds(5) });
        // Nobody reads this stream: its buffer fills and the engine waits for room.
        var stalled = await harness.Engine.StartAsync(harness.Request(), CancellationToken.None);
        var generation = await harness.Model.NextGenerationAsync();
        generation.Emit(Enumerable.Repeat("t", 40).ToArray());
        await EngineHarness.Eventually(() => harness.Slot.PausedByClient, "the engine waits for the reader");
        Assert.Null(new EngineLiveness(harness.Registry, harness.Time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).Stalled());

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await generation.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await EngineHarness.Eventually(() => stalled.Abandoned.IsCancellationRequested && !harness.Slot.Queue.IsBusy, "abandoned and freed");
        var next = await harness.StartAsync();
        (await harness.Model.NextGenerationAsync()).Emit("ok").EndOfTurn();

        Assert.Equal("ok", (await next.FinishedAsync()) is { Reason: FinishReason.Stop } ? next.Text : null);
    }

    [Fact]
    public async Task AStalledReader_IsLetGoOnlyOnceTheModelIsFree_SoItsNextRequestIsNotRefused()
    {
        // queue_size 0 elsewhere means a request that finds the model busy is refused; the reset stream is the
        // caller's cue to retry, so the model must already be free when the transport hears of the abandonment.
        var harness = new EngineHarness(limits: GenerationLimits.Default with { WriteStallTimeout = TimeSpan.FromSeconds(5) });
        var stalled = await harness.Engine.StartAsync(harness.Request(), CancellationToken.None);
        var generation = await harness.Model.NextGenerationAsync();
        generation.Emit(Enumerable.Repeat("t", 40).ToArray());
        await EngineHarness.Eventually(() => harness.Slot.PausedByClient, "the engine waits for the reader");
        harness.Model.StopDelay = TimeSpan.FromMilliseconds(300); // the backend takes its time to stop, as a decode step in flight does
        bool? busyWhenAbandoned = null;
        bool? stoppedWhenAbandoned = null;
        using var watch = stalled.Abandoned.Register(() =>
        {
            busyWhenAbandoned = harness.Slot.Queue.IsBusy;
            stoppedWhenAbandoned = generation.Stopped.Task.IsCompleted;
        });

        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await EngineHarness.Eventually(() => stalled.Abandoned.IsCancellationRequested, "abandoned");

        Assert.True(stoppedWhenAbandoned);
        Assert.False(busyWhenAbandoned);
    }

    [Fact]
    public async Task TheRequestTimeout_CoversAHandOffBlockedByTheReader()
    {
        var harness = new EngineHarness(limits: GenerationLimits.Default with { WriteStallTimeout = TimeSpan.FromMinutes(10) },
            requestTimeout: TimeSpan.FromSeconds(30));
        var stalled = await harness.Engine.StartAsync(harness.Request(), CancellationToken.None);
        var generation = await harness.Model.NextGenerationAsync();
        generation.Emit(Enumerable.Repeat("t", 40).ToArray());
        await EngineHarness.Eventually(() => harness.Slot.PausedByClient, "the engine waits for the reader");

        harness.Time.Advance(TimeSpan.FromSeconds(30));

        await EngineHarness.Eventually(() => stalled.Abandoned.IsCancellationRequested && !harness.Slot.Queue.IsBusy, "ended by the timeout");
    }

    [Fact]
    public async Task TheRequestTimeout_EndsAGenerationWithDeadline_KeepingWhatWasGenerated()
    {
        var harness = new EngineHarness(requestTimeout: TimeSpan.FromSeconds(30));
        var reader = await harness.StartAsync();
        (await harness.Model.NextGenerationAsync()).Emit("a", "b");
        await EngineHarness.Eventually(() => reader.Text == "ab", "two tokens arrived");

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        var finished = await reader.FinishedAsync();

        Assert.Equal(FinishReason.Deadline, finished.Reason);
        Assert.Equal(2, finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task Shutdown_RefusesNewWork_TellsTheQueuedAtOnce_AndEndsTheRunningAfterTheGrace()
    {
        var harness = new EngineHarness(queueSize: 2);
        var running = await harness.StartAsync();
        var generation = (await harness.Model.NextGenerationAsync()).Emit("a");
        var queued = await harness.StartAsync();

        var drainStarted = harness.Time.GetUtcNow();
        var drain = harness.Engine.DrainAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var queuedEnd = await queued.FinishedAsync();
        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync());
        Assert.False(running.Done.IsCompleted); // the running one has its grace
        // The drain arms its grace timer once the queued requests have been told, on a pool thread: the clock moves
        // in steps until the running one ends, and it must not end before the grace has passed.
        await EngineHarness.Eventually(() =>
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(500));
            return running.Done.IsCompleted;
        }, "the running generation ended after the grace");
        var runningEnd = await running.FinishedAsync();
        await drain.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(harness.Time.GetUtcNow() - drainStarted >= TimeSpan.FromSeconds(5), "ended before the grace had passed");

        Assert.Equal((FinishReason.Cancelled, "daemon shutting down", true), (queuedEnd.Reason, queuedEnd.Error, queuedEnd.ShuttingDown));
        Assert.Equal(RejectionKind.ShuttingDown, refusal.Kind);
        Assert.Equal((FinishReason.Cancelled, "daemon shutting down", true), (runningEnd.Reason, runningEnd.Error, runningEnd.ShuttingDown));
        Assert.Equal("a", running.Text);
        await generation.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Shutdown_LetsARunningGenerationFinishWithinTheGrace()
    {
        var harness = new EngineHarness();
        var running = await harness.StartAsync();
        var generation = (await harness.Model.NextGenerationAsync()).Emit("a");

        var drain = harness.Engine.DrainAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        generation.Emit("b").EndOfTurn();
        var finished = await running.FinishedAsync();
        await drain.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((FinishReason.Stop, false), (finished.Reason, finished.ShuttingDown));
        Assert.Equal("ab", running.Text);
    }
}
