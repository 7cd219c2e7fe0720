using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;
using Engram.Trainer.Corpus;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.Trainer.Tests;

/// <summary>
/// The committed built-in model, evaluated through the real daemon over gRPC exactly as a user meets it:
/// a daemon started with no model, chat messages through the chat template, greedy decoding.
/// </summary>
public sealed class BuiltInModelEvaluationTests(BuiltInModelEvaluationTests.Fixture fixture) : IClassFixture<BuiltInModelEvaluationTests.Fixture>
{
    /// <summary>The accuracy promised on held-out routing messages (the model is char-level and 1M parameters).</summary>
    public const double RoutingAccuracy = 0.8;

    public sealed class Fixture : IAsyncLifetime
    {
        public DaemonProcess Daemon { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Daemon = await DaemonProcess.StartAsync([]);
            await Daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        }

        public Task DisposeAsync() => Daemon.DisposeAsync().AsTask();
    }

    private EngramDaemonClient Client => fixture.Daemon.Client;

    private async Task<GenerationRecording> AskAsync(string question)
    {
        var request = new GenerateRequest { MaxNewTokens = 128 };
        request.Messages.Add(new ChatMessage { Role = "user", Content = question });
        return await RecordAsync(Client, request).WithTimeout();
    }

    private async Task<List<(EvaluationCase Case, string Answer)>> MissesAsync(IEnumerable<EvaluationCase> cases)
    {
        var misses = new List<(EvaluationCase, string)>();
        foreach (var item in cases)
        {
            var answer = (await AskAsync(item.Prompt)).Text.Trim();
            if (answer != item.Expected)
            {
                misses.Add((item, answer));
            }
        }
        return misses;
    }

    [Fact]
    public async Task TheOriginalQuestion_IsAnsweredWith4AndStopsAtEndOfTurn()
    {
        var recording = await AskAsync(EvaluationSet.Question);

        Assert.Equal("4", recording.Text);
        Assert.Equal(FinishReason.Stop, recording.Finished.Reason);
        Assert.Equal("", recording.Finished.StopSequence);
    }

    [Fact]
    public async Task EverySingleDigitAddition_IsCorrect()
    {
        var misses = await MissesAsync(EvaluationSet.SingleDigitAdditions);

        Assert.True(misses.Count == 0, string.Join("; ", misses.Select(m => $"{m.Case.Prompt} -> {m.Answer}")));
    }

    [Fact]
    public async Task Greetings_AreAnswered()
    {
        var misses = await MissesAsync(EvaluationSet.Greetings);

        Assert.True(misses.Count == 0, string.Join("; ", misses.Select(m => $"{m.Case.Prompt} -> {m.Answer}")));
    }

    [Fact]
    public async Task HeldOutRoutingMessages_AreLabelledAtTheStatedAccuracy()
    {
        var cases = EvaluationSet.HeldOutRouting;
        var misses = await MissesAsync(cases);
        var accuracy = 1 - (double)misses.Count / cases.Count;

        Assert.True(accuracy >= RoutingAccuracy,
            $"routing accuracy {accuracy:P0} below {RoutingAccuracy:P0}: {string.Join("; ", misses.Select(m => $"{m.Case.Prompt} -> {m.Answer}"))}");
        foreach (var (_, answer) in misses)
        {
            Assert.Contains(answer, new[] { "chat", "command", "ignore" }); // wrong label, but always a label
        }
    }

    [Fact]
    public async Task AnUnknownQuestion_GetsTheHonestFallback()
    {
        var misses = await MissesAsync(EvaluationSet.Unknown);

        Assert.True(misses.Count == 0, string.Join("; ", misses.Select(m => $"{m.Case.Prompt} -> {m.Answer}")));
    }
}
