using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>Simulated low memory on a fake board moves new requests to the fallback profile, and back once it recovers.</summary>
public sealed class PressureFallbackTests : IAsyncLifetime
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588(availableMiB: 8000);
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        var model = _files.Good();
        _daemon = await DaemonProcess.StartAsync(
        [
            "--root", _root.Path, "--default-model", "main",
            "--Engram:profiles:main:model=" + model, "--Engram:profiles:main:fallback=small",
            "--Engram:profiles:small:model=" + model, "--Engram:profiles:small:max_context_len=256",
            "--Engram:pressure:min_available_memory_mb=1000",
            "--Engram:pressure:sample_interval_ms=100",
            "--Engram:pressure:recover_samples=2",
        ]);
        await TestTimeouts.Eventually(async () => (await _daemon.Client.GetHealthAsync()).Models.All(m => m.State == ModelState.Ready),
            "both profiles ready");
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        _files.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task LowMemory_MovesNewRequestsToTheFallbackAndBack()
    {
        var before = await RecordAsync(_daemon.Client, Prompt("Hi.", 2)).WithTimeout();

        _root.Memory(availableMiB: 600);
        await TestTimeouts.Eventually(async () => (await _daemon.Client.GetHealthAsync()).UnderPressure, "pressure is seen");
        var health = await _daemon.Client.GetHealthAsync();
        var during = await RecordAsync(_daemon.Client, Prompt("Hi.", 2)).WithTimeout();

        _root.Memory(availableMiB: 8000);
        await TestTimeouts.Eventually(async () => !(await _daemon.Client.GetHealthAsync()).UnderPressure, "pressure clears");
        var after = await RecordAsync(_daemon.Client, Prompt("Hi.", 2)).WithTimeout();

        Assert.Equal("main", before.Accepted.Model);
        Assert.False(before.Accepted.Fallback);
        Assert.Equal("small", health.ActiveProfile);
        Assert.Contains("600 MiB available", health.PressureReason);
        Assert.Equal("small", during.Accepted.Model);
        Assert.Equal("main", during.Accepted.RequestedModel);
        Assert.True(during.Accepted.Fallback);
        Assert.Contains("fallback profile 'small'", during.Accepted.FallbackReason);
        Assert.Equal("main", after.Accepted.Model);
        Assert.False(after.Accepted.Fallback);
        Assert.Contains(_daemon.Output, line => line.Contains("pressure entered"));
        Assert.Contains(_daemon.Output, line => line.Contains("pressure left"));
    }
}
