using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>What a Generate stream carries, against a real daemon process over a real socket.</summary>
public sealed class GenerateStreamTests(ScriptedDaemonFixture fixture) : IClassFixture<ScriptedDaemonFixture>
{
    private EngramDaemonClient Client => fixture.Daemon.Client;

    [Fact]
    public async Task Generate_StreamsAcceptedThenTokensThenOneFinished()
    {
        var recording = await RecordAsync(Client, Prompt("Tell me something.", maxNewTokens: 14)).WithTimeout();

        Assert.IsType<GenerationAccepted>(recording.Updates[0]);
        Assert.IsType<GenerationCompleted>(recording.Updates[^1]);
        Assert.All(recording.Updates.Skip(1).SkipLast(1), u => Assert.IsType<GenerationText>(u));
        Assert.Equal("story", recording.Accepted.Model);
        Assert.Equal(0, recording.Accepted.QueuePosition);
        Assert.Equal(14, recording.Accepted.MaxNewTokens);
        Assert.Equal(ScriptedDaemonFixture.StoryText + ScriptedDaemonFixture.StoryText, recording.Text);
        Assert.Equal(FinishReason.Length, recording.Finished.Reason);
    }

    [Fact]
    public async Task Generate_FinalTimingsAgreeWithTheStream()
    {
        var recording = await RecordAsync(Client, Prompt("Tell me something.", maxNewTokens: 21)).WithTimeout();

        var t = recording.Finished.Timings;
        Assert.Equal(21, t.GeneratedTokens);
        Assert.Equal(21, recording.Deltas[^1].TokensSoFar);
        Assert.Equal(recording.Accepted.PromptTokens, t.PromptTokens);
        Assert.True(t.PromptTokens > 1);
        Assert.True(t.PrefillMs > 0);
        // The rate covers what was prefilled: a conversation cached by an earlier request is not evaluated again.
        var prefilled = t.PromptTokens - t.CachedPromptTokens;
        Assert.InRange(t.CachedPromptTokens, 0, t.PromptTokens - 1);
        Assert.InRange(t.PrefillTokensPerSecond, prefilled / (t.PrefillMs / 1000) * 0.99, prefilled / (t.PrefillMs / 1000) * 1.01);
        Assert.True(t.DecodeMs > 0);
        Assert.InRange(t.DecodeTokensPerSecond, 20 / (t.DecodeMs / 1000) * 0.99, 20 / (t.DecodeMs / 1000) * 1.01);
        Assert.True(t.TimeToFirstTokenMs >= t.PrefillMs, "time to first token includes the prefill");
        Assert.True(t.TotalMs >= t.TimeToFirstTokenMs + t.DecodeMs * 0.99, "total covers first token and decode");
        Assert.True(t.QueueMs >= 0);
    }

    [Fact]
    public async Task Generate_WithAStopString_EndsBeforeItAndNamesIt()
    {
        var request = Prompt("Tell me something.", maxNewTokens: 100);
        request.Stop.Add(" the");

        var recording = await RecordAsync(Client, request).WithTimeout();

        Assert.Equal(" Hello w1", recording.Text);
        Assert.Equal(FinishReason.Stop, recording.Finished.Reason);
        Assert.Equal(" the", recording.Finished.StopSequence);
    }

    [Fact]
    public async Task Generate_StopStringSpanningTokens_IsNeverPartlyStreamed()
    {
        var request = Prompt("Tell me something.", maxNewTokens: 100);
        request.Stop.Add("w2 is");

        var recording = await RecordAsync(Client, request).WithTimeout();

        Assert.Equal(" Hello w1 the ", recording.Text);
        Assert.DoesNotContain(recording.Deltas, d => d.Text.Contains("w2"));
    }

    [Fact]
    public async Task Generate_AtEndOfTurn_FinishesWithStopAndNoStopString()
    {
        var recording = await RecordAsync(Client, Prompt("Say it.", model: "utf8")).WithTimeout();

        Assert.Equal(ScriptedDaemonFixture.Utf8Text, recording.Text);
        Assert.Equal(FinishReason.Stop, recording.Finished.Reason);
        Assert.Equal("", recording.Finished.StopSequence);
        Assert.Equal(5, recording.Finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task Generate_CharacterSplitAcrossByteTokens_IsHeldBackUntilComplete()
    {
        // "€" is three byte tokens and "é" two: no delta may carry part of either.
        var recording = await RecordAsync(Client, Prompt("Say it.", model: "utf8")).WithTimeout();

        Assert.Equal(["€", "é"], recording.Deltas.Select(d => d.Text));
        Assert.Equal([3, 5], recording.Deltas.Select(d => d.TokensSoFar));
        Assert.DoesNotContain(recording.Deltas, d => d.Text.Contains('\uFFFD'));
    }

    [Fact]
    public async Task Generate_WithChatMessages_AppliesTheChatTemplate()
    {
        var chat = new GenerateRequest { Model = "utf8" };
        chat.Messages.Add(new ChatMessage { Role = "system", Content = "Be brief." });
        chat.Messages.Add(new ChatMessage { Role = "user", Content = "Say it." });
        var raw = Prompt("Say it.", model: "utf8");

        var templated = await RecordAsync(Client, chat).WithTimeout();
        var plain = await RecordAsync(Client, raw).WithTimeout();

        Assert.Equal(ScriptedDaemonFixture.Utf8Text, templated.Text);
        // ChatML wraps each turn in <|im_start|>role\n...<|im_end|>\n and opens an assistant turn.
        Assert.True(templated.Accepted.PromptTokens > plain.Accepted.PromptTokens + 10,
            $"templated prompt {templated.Accepted.PromptTokens} tokens vs plain {plain.Accepted.PromptTokens}");
    }

    [Fact]
    public async Task Generate_WithSamplingParameters_IsServed()
    {
        var request = Prompt("Tell me something.", maxNewTokens: 7);
        request.Temperature = 0.8f;
        request.TopK = 5;
        request.TopP = 0.95f;
        request.Seed = 1234;

        var recording = await RecordAsync(Client, request).WithTimeout();

        // The scripted model is certain of its next token, so sampling still follows the script.
        Assert.Equal(ScriptedDaemonFixture.StoryText, recording.Text);
    }

    [Fact]
    public async Task Generate_OnAFailedModel_IsRefusedWhileOtherModelsServe()
    {
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => RecordAsync(Client, Prompt("Hi.", model: "missing")));
        var recording = await RecordAsync(Client, Prompt("Tell me something.", maxNewTokens: 3)).WithTimeout();

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("artifact", error.Status.Detail);
        Assert.Contains("not-there.gguf", error.Status.Detail);
        Assert.Equal(3, recording.Finished.Timings.GeneratedTokens);
    }
}
