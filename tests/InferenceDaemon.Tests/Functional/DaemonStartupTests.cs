using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>How the daemon starts: the built-in model on a fresh machine, and clear refusals of bad configuration.</summary>
public sealed class DaemonStartupTests
{
    [Fact]
    public async Task NoModelConfigured_ServesTheBuiltInTinyChatModel()
    {
        await using var daemon = await DaemonProcess.StartAsync([]);

        var health = await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default).WithTimeout();
        var request = new GenerateRequest();
        request.Messages.Add(new ChatMessage { Role = "user", Content = "What is 2+2?" });
        var recording = await RecordAsync(daemon.Client, request).WithTimeout();

        var model = Assert.Single(health.Models);
        Assert.Equal("builtin", model.Name);
        Assert.StartsWith("built-in tiny chat model", model.Description);
        Assert.Contains("tiny-chat-corpus/2", model.Description);
        Assert.Contains(daemon.Output, line => line.Contains("built-in tiny chat model"));
        Assert.Equal("4", recording.Text);
        Assert.Equal(FinishReason.Stop, recording.Finished.Reason);
    }

    [Fact]
    public async Task DemoCommand_StreamsTheAnswerThroughGrpcAndExits()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["demo", "What is 2+2?"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("> What is 2+2?", output);
        Assert.Matches(@"\n4\n\[finish=Stop prompt_tokens=\d+ .* tokens=1 ", output);
    }

    [Fact]
    public async Task InvalidConfiguration_RefusesToStartAndListsTheProblems()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(
            ["--listen", "nowhere", "--Engram:profiles:x:max_new_tokens=0"]);

        Assert.Equal(78, exitCode);
        Assert.Contains("the configuration is not valid", output);
        Assert.Contains("Engram:listen", output);
        Assert.Contains("Engram:profiles:x:model is required", output);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageErrorAndHelpExplains()
    {
        var (usageExit, usage) = await DaemonProcess.RunToExitAsync(["--frobnicate"]);
        var (helpExit, help) = await DaemonProcess.RunToExitAsync(["--help"]);

        Assert.Equal(64, usageExit);
        Assert.Contains("'--frobnicate'", usage);
        Assert.Contains("See engram-daemon --help", usage);
        Assert.Equal(0, helpExit);
        Assert.Contains("--listen <HOST:PORT>", help);
        Assert.Contains("127.0.0.1:50051", help);
    }

    [Fact]
    public async Task MissingModelFile_KeepsTheDaemonUpAndReportsAnArtifactFailure()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--model", "/nonexistent/model.gguf"]);

        await TestTimeouts.Eventually(async () =>
            (await daemon.Client.GetHealthAsync()).Models.Single().State == ModelState.Failed, "the model is marked failed");
        var model = (await daemon.Client.GetHealthAsync()).Models.Single();

        Assert.Equal(FailureClass.Artifact, model.FailureClass);
        Assert.False(daemon.HasExited);
        Assert.Contains(daemon.Output, line => line.Contains("class=artifact"));
    }
}
