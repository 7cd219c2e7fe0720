using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// The runtime's version is detected from its own log line, by well-formed calls only (the fake prints nothing for
/// invalid arguments, as a strict runtime may), and a version whose layout we do not know is refused.
/// </summary>
public sealed class RkllmVersionTests : IDisposable
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588();

    public void Dispose()
    {
        _files.Dispose();
        _root.Dispose();
    }

    private Task<(int ExitCode, string Output)> CheckAsync(string version, Dictionary<string, string>? environment = null) =>
        DaemonProcess.RunToExitAsync(
        [
            "check", "--root", _root.Path, "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor(version),
            "--model", FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm")),
        ], environment);

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1.3.0")]
    public async Task AutoDetectedVersion_Loads(string version)
    {
        var (exitCode, output) = await CheckAsync(version);

        Assert.True(exitCode == 0, output);
        Assert.Contains("load: ok", output);
    }

    [Fact]
    public async Task AutoDetection_WhenTheRuntimePrintsItsVersionOnlyOnceAModelOpened_LearnsItFromALoadInTheProbe()
    {
        var (exitCode, output) = await CheckAsync("1.3.0", new Dictionary<string, string> { ["FAKE_RKLLM_VERSION_AT_LOAD"] = "1" });

        Assert.True(exitCode == 0, output);
        Assert.Contains("load: ok", output);
        Assert.Contains("1.3.0", output);
    }

    [Fact]
    public async Task UnknownDetectedVersion_IsRefusedRatherThanGuessed()
    {
        var (exitCode, output) = await CheckAsync("1.3.0", new Dictionary<string, string> { ["FAKE_RKLLM_VERSION"] = "1.4.0" });

        Assert.Equal(11, exitCode);
        Assert.Contains("platform/runtime_unsupported", output);
        Assert.Contains("RKLLM runtime 1.4.0 is not supported", output);
    }
}
