using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine;

public sealed class GenerationQueueTests
{
    [Fact]
    public void TryEnter_IdleQueue_RunsAtOnce()
    {
        var queue = new GenerationQueue(capacity: 2);

        using var ticket = queue.TryEnter();

        Assert.NotNull(ticket);
        Assert.Equal(0, ticket.Position);
        Assert.True(queue.IsBusy);
    }

    [Fact]
    public void TryEnter_BeyondCapacity_IsRefused()
    {
        var queue = new GenerationQueue(capacity: 1);
        using var running = queue.TryEnter();
        using var waiting = queue.TryEnter();

        Assert.Equal(1, waiting!.Position);
        Assert.Null(queue.TryEnter());
        Assert.Equal(2, queue.Depth);
    }

    [Fact]
    public async Task Dispose_OfTheRunningTicket_HandsTheSlotToTheFirstWaiterInOrder()
    {
        var queue = new GenerationQueue(capacity: 3);
        var running = queue.TryEnter()!;
        var first = queue.TryEnter()!;
        var second = queue.TryEnter()!;
        await first.NextPositionAsync(CancellationToken.None);  // initial position 1
        await second.NextPositionAsync(CancellationToken.None); // initial position 2

        running.Dispose();

        Assert.Equal(0, await first.NextPositionAsync(CancellationToken.None));
        Assert.Equal(1, await second.NextPositionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_OfAWaiter_LeavesAtOnceAndMovesThoseBehindIt()
    {
        var queue = new GenerationQueue(capacity: 3);
        using var running = queue.TryEnter()!;
        var first = queue.TryEnter()!;
        using var second = queue.TryEnter()!;
        await second.NextPositionAsync(CancellationToken.None);

        first.Dispose();

        Assert.Equal(1, await second.NextPositionAsync(CancellationToken.None));
        Assert.Equal(2, queue.Depth);
        Assert.NotNull(queue.TryEnter());
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnlyOnce()
    {
        var queue = new GenerationQueue(capacity: 2);
        var running = queue.TryEnter()!;
        using var waiter = queue.TryEnter()!;

        running.Dispose();
        running.Dispose();

        Assert.Equal(0, waiter.Position);
        Assert.Equal(1, queue.Depth);
    }
}
