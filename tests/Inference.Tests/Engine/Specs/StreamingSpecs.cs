using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine.Specs;

/// <summary>What reaches the reader: whole characters, never part of a stop string, bounded by max_new_tokens.</summary>
public sealed class StreamingSpecs
{
    [Fact]
    public async Task AStopStringSplitAcrossTokens_IsNeverStreamed()
    {
        var harness = new EngineHarness();
        var reader = await harness.StartAsync(harness.Request(stop: ["STOP"]));

        (await harness.Model.NextGenerationAsync()).Emit("Hello ", "ST", "OP", "never");
        var finished = await reader.FinishedAsync();

        Assert.Equal("Hello ", reader.Text);
        Assert.Equal((FinishReason.Stop, "STOP"), (finished.Reason, finished.StopSequence));
    }

    [Fact]
    public async Task AFalseStartOfAStopString_IsReleasedAtTheEnd()
    {
        var harness = new EngineHarness();
        var reader = await harness.StartAsync(harness.Request(stop: ["STOP"]));

        (await harness.Model.NextGenerationAsync()).Emit("Hello ", "ST").EndOfTurn();
        var finished = await reader.FinishedAsync();

        Assert.Equal("Hello ST", reader.Text);
        Assert.Equal((FinishReason.Stop, null), (finished.Reason, finished.StopSequence));
    }

    [Fact]
    public async Task MaxNewTokens_EndsWithLength()
    {
        var harness = new EngineHarness();
        var reader = await harness.StartAsync(harness.Request(maxNewTokens: 3));

        (await harness.Model.NextGenerationAsync()).Emit("a", "b", "c", "d");
        var finished = await reader.FinishedAsync();

        Assert.Equal("abc", reader.Text);
        Assert.Equal((FinishReason.Length, 3), (finished.Reason, finished.Timings.GeneratedTokens));
    }

    [Fact]
    public async Task ACharacterSplitAcrossTokens_IsStreamedWhole()
    {
        var harness = new EngineHarness();
        var reader = await harness.StartAsync();

        (await harness.Model.NextGenerationAsync()).EmitBytes([0x61, 0xE2], [0x82], [0xAC, 0x62]).EndOfTurn(); // "a€b", the € in three pieces
        await reader.FinishedAsync();

        Assert.Equal("a€b", reader.Text);
        Assert.DoesNotContain(reader.Events.OfType<TextDelta>(), d => d.Text.Contains('\uFFFD'));
    }
}
