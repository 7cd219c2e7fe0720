using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// One generation at a time per model, a bounded FIFO behind it, and streams that stop when their caller
/// leaves. The <c>story</c> profile has queue_size 1 and a model that takes many seconds for 8000 tokens.
/// </summary>
public sealed class AdmissionAndCancellationTests(ScriptedDaemonFixture fixture) : IClassFixture<ScriptedDaemonFixture>
{
    private const int Endless = 8000;
    private EngramDaemonClient Client => fixture.Daemon.Client;

    /// <summary>Starts a long generation and returns once its first token has arrived.</summary>
    private async Task<(IAsyncEnumerator<GenerationUpdate> Stream, CancellationTokenSource Cancel, Accepted Accepted)> HoldTheModelAsync()
    {
        var cancel = new CancellationTokenSource();
        var stream = Client.GenerateAsync(Prompt("Tell me something.", Endless), cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await stream.MoveNextAsync().AsTask().WithTimeout());
        var accepted = Assert.IsType<GenerationAccepted>(stream.Current).Details;
        while (await stream.MoveNextAsync().AsTask().WithTimeout() && stream.Current is not GenerationText)
        {
        }
        return (stream, cancel, accepted);
    }

    private async Task<bool> IdleAsync()
    {
        var health = await Client.GetHealthAsync();
        var story = health.Models.Single(m => m.Name == "story");
        return !story.Generating && story.QueueDepth == 0;
    }

    private static async Task ExpectCancelledAsync(IAsyncEnumerator<GenerationUpdate> stream)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await stream.MoveNextAsync())
            {
            }
        });
        Assert.True(error is OperationCanceledException || error is RpcException { StatusCode: StatusCode.Cancelled }, error.ToString());
    }

    [Fact]
    public async Task CancellingMidStream_FreesTheModelForTheNextRequest()
    {
        var (stream, cancel, _) = await HoldTheModelAsync();

        await cancel.CancelAsync();
        await ExpectCancelledAsync(stream);
        await TestTimeouts.Eventually(IdleAsync, "the cancelled generation released the model", TimeSpan.FromSeconds(5));
        var next = await RecordAsync(Client, Prompt("Tell me something.", 7)).WithTimeout();

        Assert.Equal(0, next.Accepted.QueuePosition);
        Assert.Equal(ScriptedDaemonFixture.StoryText, next.Text);
        Assert.Contains(fixture.Daemon.Output, line => line.Contains("outcome=cancelled"));
    }

    [Fact]
    public async Task FullQueue_IsRefusedWithResourceExhausted()
    {
        var (running, cancelRunning, _) = await HoldTheModelAsync();
        using var cancelWaiting = new CancellationTokenSource();
        var waiting = Client.GenerateAsync(Prompt("Tell me something.", 5), cancelWaiting.Token).GetAsyncEnumerator(cancelWaiting.Token);
        Assert.True(await waiting.MoveNextAsync().AsTask().WithTimeout());
        var waitingAccepted = Assert.IsType<GenerationAccepted>(waiting.Current).Details;

        var refused = await Assert.ThrowsAsync<RpcException>(() => RecordAsync(Client, Prompt("Tell me something.", 5)));

        Assert.Equal(1, waitingAccepted.QueuePosition);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("queue", refused.Status.Detail);
        await cancelWaiting.CancelAsync();
        await cancelRunning.CancelAsync();
        await ExpectCancelledAsync(running);
        await TestTimeouts.Eventually(IdleAsync, "the model is idle again");
    }

    [Fact]
    public async Task WaitingRequestCancelled_LeavesTheQueueAtOnce()
    {
        var (running, cancelRunning, _) = await HoldTheModelAsync();
        using (var cancelFirstWaiter = new CancellationTokenSource())
        {
            var firstWaiter = Client.GenerateAsync(Prompt("Tell me something.", 5), cancelFirstWaiter.Token).GetAsyncEnumerator(cancelFirstWaiter.Token);
            Assert.True(await firstWaiter.MoveNextAsync().AsTask().WithTimeout());
            await cancelFirstWaiter.CancelAsync();
        }

        // The freed place is taken by the next request while the first generation still runs.
        await TestTimeouts.Eventually(async () => (await Client.GetHealthAsync()).Models.Single(m => m.Name == "story").QueueDepth == 1,
            "the cancelled waiter left the queue", TimeSpan.FromSeconds(5));
        var secondWaiterTask = RecordAsync(Client, Prompt("Tell me something.", 7));
        await TestTimeouts.Eventually(async () => (await Client.GetHealthAsync()).Models.Single(m => m.Name == "story").QueueDepth == 2,
            "the second waiter is queued");
        await cancelRunning.CancelAsync();
        await ExpectCancelledAsync(running);
        var second = await secondWaiterTask.WithTimeout();

        Assert.Equal(1, second.Accepted.QueuePosition);
        Assert.Equal(ScriptedDaemonFixture.StoryText, second.Text);
        Assert.True(second.Finished.Timings.QueueMs > 0);
    }

    [Fact]
    public async Task QueuedRequest_IsToldWhenItMovesAndStartsAfterTheRunningOne()
    {
        var (running, cancelRunning, _) = await HoldTheModelAsync();
        var waiterTask = RecordAsync(Client, Prompt("Tell me something.", 7));
        await TestTimeouts.Eventually(async () => (await Client.GetHealthAsync()).Models.Single(m => m.Name == "story").QueueDepth == 2,
            "the waiter is queued");

        await cancelRunning.CancelAsync();
        await ExpectCancelledAsync(running);
        var waiter = await waiterTask.WithTimeout();

        Assert.Equal(1, waiter.Accepted.QueuePosition);
        Assert.IsType<GenerationAccepted>(waiter.Updates[0]);
        Assert.Equal(ScriptedDaemonFixture.StoryText, waiter.Text);
        Assert.Equal(FinishReason.Length, waiter.Finished.Reason);
    }

    [Fact]
    public async Task ClientDeadline_EndsTheStreamAndFreesTheModel()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            RecordAsync(Client, Prompt("Tell me something.", Endless), deadline: DateTime.UtcNow.AddMilliseconds(700)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await TestTimeouts.Eventually(IdleAsync, "the expired generation released the model", TimeSpan.FromSeconds(5));
        var next = await RecordAsync(Client, Prompt("Tell me something.", 7)).WithTimeout();
        Assert.Equal(ScriptedDaemonFixture.StoryText, next.Text);
    }

    [Fact]
    public async Task ProfileRequestTimeout_FinishesWithDeadlineAndKeepsWhatWasGenerated()
    {
        var recording = await RecordAsync(Client, Prompt("Tell me something.", Endless, model: "timeout")).WithTimeout();

        Assert.Equal(FinishReason.Deadline, recording.Finished.Reason);
        Assert.Contains("request_timeout_seconds", recording.Finished.Error);
        Assert.InRange(recording.Finished.Timings.GeneratedTokens, 1, Endless - 1);
        Assert.StartsWith(ScriptedDaemonFixture.StoryText, recording.Text);
    }
}
