using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>How the daemon starts: the built-in model on a fresh machine, and clear refusals of bad configuration.</summary>
public sealed class DaemonStartupTests
{
    private static Dictionary<string, string> FreshCache(out string directory)
    {
        directory = Directory.CreateTempSubdirectory("engram-cache-").FullName;
        return new Dictionary<string, string> { ["XDG_CACHE_HOME"] = directory };
    }

    [Fact]
    public async Task NoModelConfigured_WritesAndServesTheBuiltInSyntheticModel()
    {
        await using var daemon = await DaemonProcess.StartAsync([], FreshCache(out var cache));
        try
        {
            var health = await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default).WithTimeout();
            var recording = await RecordAsync(daemon.Client, Prompt("What is 2+2?", 8)).WithTimeout();

            var model = Assert.Single(health.Models);
            Assert.Equal("builtin", model.Name);
            Assert.Contains("synthetic", model.Description);
            Assert.Contains("random weights", model.Description);
            Assert.True(File.Exists(model.Path) && model.Path.StartsWith(cache), model.Path);
            Assert.Contains(daemon.Output, line => line.Contains("random weights"));
            Assert.Equal(8, recording.Finished.Timings.GeneratedTokens);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task DemoCommand_StreamsAnAnswerThroughGrpcAndExits()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["demo", "What is 2+2?"], FreshCache(out var cache));
        Directory.Delete(cache, recursive: true);

        Assert.True(exitCode == 0, output);
        Assert.Contains("> What is 2+2?", output);
        Assert.Matches(@"\[finish=Length prompt_tokens=\d+ .* tokens=32 decode=[\d.]+ tok/s", output);
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
        Assert.Contains("unknown option '--frobnicate'", usage);
        Assert.Equal(0, helpExit);
        Assert.Contains("--listen HOST:PORT", help);
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
