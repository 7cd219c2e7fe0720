using System.Text.Json;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary><c>engram-daemon check</c> prints the report and tells the failure classes apart by exit code.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588(availableMiB: 2000);

    public void Dispose()
    {
        _files.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task GoodModel_ExitsZeroAfterLoadingIt()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["check", "--model", _files.Good(), "--root", _root.Path]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("pass  soc            rockchip,rk3588", output);
        Assert.Matches(@"load: ok in \d+ ms", output);
        Assert.Contains("result: ok", output);
    }

    [Fact]
    public async Task ArtifactFailure_Exits10()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["check", "--model", _files.Truncated("cut.gguf", -100), "--root", _root.Path]);

        Assert.Equal(10, exitCode);
        Assert.Contains("FAILED (artifact/truncated)", output);
    }

    [Fact]
    public async Task PlatformFailure_Exits11()
    {
        using var smallRoot = FakePlatformRoot.Rk3588(availableMiB: 10);

        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["check", "--model", _files.Good(), "--root", smallRoot.Path]);

        Assert.Equal(11, exitCode);
        Assert.Contains("FAILED (platform/not_enough_memory)", output);
    }

    [Fact]
    public async Task RuntimeFailure_Exits12()
    {
        var broken = _files.Patched("broken.gguf", b => "XXXXX_norm"u8.CopyTo(b.AsSpan(b.AsSpan().IndexOf("output_norm"u8))));

        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["check", "--model", broken, "--root", _root.Path]);

        Assert.Equal(12, exitCode);
        Assert.Contains("FAILED (runtime/native_error)", output);
    }

    [Fact]
    public async Task Json_IsMachineReadable()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["check", "--json", "--model", _files.Bytes("empty.gguf", []), "--root", _root.Path]);

        var report = JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        Assert.Equal(10, exitCode);
        Assert.Equal(10, report.GetProperty("exit_code").GetInt32());
        var model = report.GetProperty("models")[0];
        Assert.False(model.GetProperty("ok").GetBoolean());
        Assert.Equal("artifact", model.GetProperty("failure_class").GetString());
        Assert.Equal("empty", model.GetProperty("failure_kind").GetString());
        Assert.Contains(report.GetProperty("platform").GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "npu_driver");
    }
}
