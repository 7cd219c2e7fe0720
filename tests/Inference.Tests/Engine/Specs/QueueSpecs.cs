using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine.Specs;

/// <summary>One generation at a time per model, a FIFO of waiters who see their place, and a place freed before the end is told.</summary>
public sealed class QueueSpecs
{
    [Fact]
    public async Task WaitingRequests_RunInOrder_AndAreToldWhenTheyMove()
    {
        var harness = new EngineHarness(queueSize: 3);
        var first = await harness.StartAsync(harness.Request("a"));
        var running = await harness.Model.NextGenerationAsync();
        var second = await harness.StartAsync(harness.Request("b"));
        var third = await harness.StartAsync(harness.Request("c"));

        running.EndOfTurn();
        var secondRun = await harness.Model.NextGenerationAsync();
        secondRun.EndOfTurn();
        var thirdRun = await harness.Model.NextGenerationAsync();
        thirdRun.EndOfTurn();
        await Task.WhenAll(first.FinishedAsync(), second.FinishedAsync(), third.FinishedAsync());

        Assert.Equal(["a", "b", "c"], [running.Prompt, secondRun.Prompt, thirdRun.Prompt]);
        Assert.Equal((1, 2), ((await second.AcceptedAsync()).QueuePosition, (await third.AcceptedAsync()).QueuePosition));
        Assert.Contains(third.Events, e => e is QueuePositionChanged { QueuePosition: 1 });
        Assert.False(harness.Model.Overlapped);
    }

    [Fact]
    public async Task AWaiterThatLeaves_FreesItsPlaceAtOnce()
    {
        var harness = new EngineHarness(queueSize: 1);
        await harness.StartAsync();
        await harness.Model.NextGenerationAsync();
        using var leaving = new CancellationTokenSource();
        var waiter = await harness.StartAsync(cancellationToken: leaving.Token);

        await leaving.CancelAsync();
        await waiter.Done.WaitAsync(TimeSpan.FromSeconds(10));
        var next = await harness.StartAsync();

        Assert.Null(waiter.Finished); // nobody is listening: no final message
        Assert.Equal(1, (await next.AcceptedAsync()).QueuePosition);
    }

    [Fact]
    public async Task TheSlot_IsFreeWhenTheFinalMessageArrives_EvenWhenTheBackendIsSlowToStop()
    {
        var harness = new EngineHarness();
        harness.Model.StopDelay = TimeSpan.FromMilliseconds(300);
        var reader = await harness.StartAsync(harness.Request(stop: ["!"]));
        bool? busyWhenFinished = null;
        int? recordsWhenFinished = null;
        reader.OnEvent = e =>
        {
            if (e is GenerationFinished)
            {
                busyWhenFinished = harness.Slot.Queue.IsBusy;
                recordsWhenFinished = harness.Inflight.Open;
            }
        };

        (await harness.Model.NextGenerationAsync()).Emit("Hi", "!"); // a stop string: the backend is stopped, not let run
        var finished = await reader.FinishedAsync();

        Assert.Equal((FinishReason.Stop, "!"), (finished.Reason, finished.StopSequence));
        Assert.False(busyWhenFinished);
        Assert.Equal(0, recordsWhenFinished);
        Assert.Equal(0, harness.Model.Running);
    }

    [Fact]
    public async Task ASequentialClient_IsNeverRefused_EvenWithNoRoomToWait()
    {
        var harness = new EngineHarness(queueSize: 0);

        for (var i = 0; i < 20; i++)
        {
            var reader = await harness.StartAsync(); // refused (QueueFull) if the last request still held the slot
            (await harness.Model.NextGenerationAsync()).Emit("x").EndOfTurn();
            await reader.FinishedAsync();
        }
    }

    [Fact]
    public async Task QueueSizePlusOneClients_EachAskingAfterTheirLastAnswer_AreNeverRefused()
    {
        var harness = new EngineHarness(queueSize: 2);
        var driver = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                (await harness.Model.NextGenerationAsync()).Emit("y").EndOfTurn();
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await (await harness.StartAsync()).FinishedAsync();
            }
        })));
        await driver.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(harness.Model.Overlapped);
    }
}
