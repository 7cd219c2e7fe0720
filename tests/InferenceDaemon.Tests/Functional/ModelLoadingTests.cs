using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.DaemonClient.Resilience;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>A request that arrives while the model loads is refused as loading, says so in its trailers, and the client waits it out.</summary>
public sealed class ModelLoadingTests : IDisposable
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588();

    public void Dispose()
    {
        _files.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task ARequestDuringALoad_IsRefusedAsLoading_AndTheClientRetriesUntilItIsServed()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            [
                "--root", _root.Path, "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor("1.3.0"),
                "--model", FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm")),
            ],
            new Dictionary<string, string> { ["FAKE_RKLLM_INIT_DELAY_MS"] = "3000" });

        var refusal = await Assert.ThrowsAsync<RpcException>(() => RecordAsync(daemon.Client, Prompt("Hi.", 2)));
        var notices = new List<RetryNotice>();
        using var patient = new EngramDaemonClient(new DaemonClientOptions { Address = daemon.Address, MaxRetries = 40, RetryDelay = TimeSpan.FromMilliseconds(100) });
        var served = new GenerationRecording();
        await foreach (var update in patient.GenerateAsync(Prompt("Hi.", 2), onRetry: notices.Add).WithCancellation(CancellationToken.None))
        {
            served.Updates.Add(update);
        }

        Assert.Equal(StatusCode.Unavailable, refusal.StatusCode);
        Assert.Equal(RefusalReasons.ModelLoading, refusal.Trailers.GetValue(RefusalTrailers.Reason));
        Assert.Contains(refusal.Trailers.GetValue(RefusalTrailers.ModelState), new[] { "validating", "loading" });
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.Equal(RetryReason.ModelLoading, n.Reason));
        Assert.Equal(2, served.Finished.Timings.GeneratedTokens);
    }
}
