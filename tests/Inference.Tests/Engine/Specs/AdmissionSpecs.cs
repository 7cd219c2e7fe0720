using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine.Specs;

/// <summary>What the engine admits, what it refuses, and that refusals cost nothing that could be avoided.</summary>
public sealed class AdmissionSpecs
{
    [Fact]
    public async Task Start_OnAnIdleModel_IsAcceptedAtPositionZeroAndStreams()
    {
        var harness = new EngineHarness();

        var reader = await harness.StartAsync();
        (await harness.Model.NextGenerationAsync()).Emit("Hi", " there").EndOfTurn();
        var finished = await reader.FinishedAsync();

        Assert.IsType<RequestAccepted>(reader.Events[0]);
        Assert.Equal(0, reader.Accepted.QueuePosition);
        Assert.Equal("Hi there", reader.Text);
        Assert.Equal((FinishReason.Stop, 2), (finished.Reason, finished.Timings.GeneratedTokens));
    }

    [Fact]
    public async Task Start_WhenTheQueueIsFull_IsRefusedBeforeThePromptIsTokenized()
    {
        var harness = new EngineHarness(queueSize: 1);
        await harness.StartAsync();
        await harness.StartAsync();
        var preparedBefore = harness.Model.Prepared;

        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync());

        Assert.Equal(RejectionKind.QueueFull, refusal.Kind);
        Assert.Equal("main", refusal.Profile);
        Assert.Equal(preparedBefore, harness.Model.Prepared);
    }

    [Fact]
    public async Task Start_PromptLongerThanTheContextCouldHold_IsRefusedWithoutTokenizing()
    {
        var harness = new EngineHarness();
        var huge = new string('x', (int)harness.Model.MaxPromptBytes + 1);

        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync(harness.Request(huge)));

        Assert.Equal(RejectionKind.InvalidArgument, refusal.Kind);
        Assert.Contains($"{huge.Length} bytes", refusal.Message);
        Assert.Equal(0, harness.Model.Prepared);
    }

    [Fact]
    public async Task Start_MoreMessagesThanTheLimit_IsRefusedWithoutTokenizing()
    {
        var harness = new EngineHarness(limits: GenerationLimits.Default with { MaxMessages = 10 });
        var request = harness.Request() with { Input = new PromptInput("", Enumerable.Range(0, 11).Select(i => new ChatTurn("user", "hi")).ToArray()) };

        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync(request));

        Assert.Contains("11 messages", refusal.Message);
        Assert.Equal(0, harness.Model.Prepared);
    }

    [Fact]
    public async Task Start_UnknownModel_QuotesTheNameShortenedAndCountsNoProfile()
    {
        var harness = new EngineHarness();
        var name = new string('m', 1 << 20);

        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync(harness.Request(model: name)));

        Assert.Equal(RejectionKind.ModelNotFound, refusal.Kind);
        Assert.Null(refusal.Profile);
        Assert.True(refusal.Message.Length < 300, $"the message is {refusal.Message.Length} characters");
        Assert.Contains($"({name.Length} characters)", refusal.Message);
    }

    [Fact]
    public async Task Start_OverlongRequestId_IsRefused()
    {
        var harness = new EngineHarness();

        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync(harness.Request() with { RequestId = new string('i', 129) }));

        Assert.Equal(RejectionKind.InvalidArgument, refusal.Kind);
    }

    [Fact]
    public async Task Start_OnAModelStillLoading_IsRefusedAsLoadingWithItsState()
    {
        var harness = new EngineHarness();
        harness.Slot.MarkLoading();

        var refusal = await Assert.ThrowsAsync<GenerationRejectedException>(() => harness.StartAsync());

        Assert.Equal((RejectionKind.ModelLoading, ModelState.Loading), (refusal.Kind, refusal.ModelState));
    }
}
