using System.Diagnostics;
using System.Text.Json;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.Trainer.Tests;

/// <summary>
/// A short training run of a smaller model (the full one takes minutes and is not run in CI): the loss goes
/// down, the sidecar records the run, and the written file loads in the real daemon and generates.
/// </summary>
public sealed class SmokeTrainingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("engram-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task SmokeRun_LossFallsAndTheModelLoadsAndGenerates()
    {
        var model = Path.Combine(_directory, "smoke.gguf");
        var trainer = Path.Combine(AppContext.BaseDirectory, "engram-train.dll");
        var info = new ProcessStartInfo("dotnet", [trainer, "--config", "smoke", "--out", model]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, await output + await errors);

        using var sidecar = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, ".json")));
        var curve = sidecar.RootElement.GetProperty("loss_curve").EnumerateArray().Select(p => p.GetProperty("loss").GetDouble()).ToArray();
        Assert.True(curve[^1] < curve[0] * 0.6, $"loss went from {curve[0]} to {curve[^1]}");
        Assert.Equal("tiny-chat-corpus/2", sidecar.RootElement.GetProperty("corpus_version").GetString());
        Assert.Equal(30, sidecar.RootElement.GetProperty("steps").GetInt32());
        Assert.Contains("step    30/30", await output);

        await using var daemon = await DaemonProcess.StartAsync(["--model", model]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default).WithTimeout();
        var recording = await RecordAsync(daemon.Client, Prompt("What is 2+2?", 5)).WithTimeout();
        // Thirty steps teach little: the point is that llama.cpp loads the file and runs it to a normal end
        // (a weak model may well end its turn at once).
        Assert.Contains(recording.Finished.Reason, new[] { Contract.V1.FinishReason.Stop, Contract.V1.FinishReason.Length });
        Assert.True(recording.Finished.Timings.PromptTokens > 0);
        Assert.Equal(100, sidecar.RootElement.GetProperty("evaluation").GetProperty("addition").GetProperty("total").GetInt32());
    }
}
