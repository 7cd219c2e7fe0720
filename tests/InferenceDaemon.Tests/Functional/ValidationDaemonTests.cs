using Engram.Contract.V1;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// A daemon on a fake RK3588 with one good model and many bad ones: every bad one is classified exactly in
/// Health and refused with FAILED_PRECONDITION naming its class, and the good one keeps serving.
/// </summary>
public sealed class ValidationDaemonTests(ValidationDaemonTests.Fixture fixture) : IClassFixture<ValidationDaemonTests.Fixture>
{
    private DaemonProcess Daemon => fixture.Daemon;
    private FakePlatformRoot Root => fixture.Root;

    private static readonly (string Profile, FailureClass Class, string Kind)[] Expected =
    [
        ("empty", FailureClass.Artifact, "empty"),
        ("truncated", FailureClass.Artifact, "truncated"),
        ("corrupt", FailureClass.Artifact, "corrupt"),
        ("checksum", FailureClass.Artifact, "checksum_mismatch"),
        ("rk3576", FailureClass.Artifact, "wrong_target"),
        ("huge", FailureClass.Platform, "not_enough_memory"),
        ("broken", FailureClass.Runtime, "native_error"),
    ];

    public sealed class Fixture : IAsyncLifetime
    {
    private readonly ModelArtifacts _files = new();
    public FakePlatformRoot Root { get; } = FakePlatformRoot.Rk3588(availableMiB: 300);
    public DaemonProcess Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var good = _files.Good();
        _files.WithChecksum(good, correct: true);
        var args = new List<string>
        {
            "--root", Root.Path, "--default-model", "good",
            "--Engram:profiles:good:model=" + good,
            "--Engram:profiles:empty:model=" + _files.Bytes("empty.gguf", []),
            "--Engram:profiles:truncated:model=" + _files.Truncated("truncated.gguf", -4096),
            "--Engram:profiles:corrupt:model=" + _files.Patched("corrupt.gguf", b => "<!DO"u8.CopyTo(b)),
            "--Engram:profiles:checksum:model=" + _files.WithChecksum(_files.Good("tampered.gguf"), correct: false),
            "--Engram:profiles:rk3576:model=" + _files.Rkllm("Qwen2.5-1.5B-Instruct_W4A16_RK3576.rkllm"),
            "--Engram:profiles:rk3576:backend=rkllm",
            // 300 MiB are free; a 1M-token context for this model needs over 512 MiB of KV cache.
            "--Engram:profiles:huge:model=" + good,
            "--Engram:profiles:huge:max_context_len=1048576",
            // Valid GGUF header, but a required tensor is missing: only llama.cpp itself can tell.
            "--Engram:profiles:broken:model=" + _files.Patched("broken.gguf", b => "XXXXX_norm"u8.CopyTo(b.AsSpan(b.AsSpan().IndexOf("output_norm"u8)))),
        };
        Daemon = await DaemonProcess.StartAsync(args);
        await TestTimeouts.Eventually(async () => (await Daemon.Client.GetHealthAsync()).Models
            .All(m => m.State is ModelState.Ready or ModelState.Failed), "every model validated or loaded");
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _files.Dispose();
        Root.Dispose();
    }
    }

    [Fact]
    public async Task EveryBadModel_IsClassifiedExactlyInHealth()
    {
        var health = await Daemon.Client.GetHealthAsync();

        foreach (var (profile, failureClass, kind) in Expected)
        {
            var model = health.Models.Single(m => m.Name == profile);
            Assert.True(model.State == ModelState.Failed, $"{profile}: {model.State}");
            Assert.True(failureClass == model.FailureClass && kind == model.FailureKind,
                $"{profile}: expected {failureClass}/{kind}, got {model.FailureClass}/{model.FailureKind}: {model.Detail}");
            Assert.False(string.IsNullOrEmpty(model.Remedy), profile);
        }
        var good = health.Models.Single(m => m.Name == "good");
        Assert.Equal(ModelState.Ready, good.State);
        Assert.True(good.Artifact.ChecksumVerified);
        Assert.Equal("llama", good.Artifact.Architecture);
    }

    [Fact]
    public async Task Health_CarriesThePlatformReportOfTheFakeBoard()
    {
        var platform = (await Daemon.Client.GetHealthAsync()).Platform;

        Assert.Equal(Root.Path, platform.Root);
        Assert.Equal("rockchip,rk3588", platform.Checks.Single(c => c.Name == "soc").Value);
        Assert.Equal(CheckStatus.Pass, platform.Checks.Single(c => c.Name == "npu_driver").Status);
    }

    [Fact]
    public async Task GenerateOnAFailedModel_IsFailedPreconditionNamingTheClass()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => RecordAsync(Daemon.Client, Prompt("Hi.", 3, model: "rk3576")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("artifact failure, wrong_target", error.Status.Detail);
        Assert.Equal(RefusalReasons.ModelFailed, error.Trailers.GetValue(RefusalTrailers.Reason));
        Assert.Equal("failed", error.Trailers.GetValue(RefusalTrailers.ModelState));
        Assert.Equal("artifact", error.Trailers.GetValue("engram-failure-class"));
        Assert.Equal("wrong_target", error.Trailers.GetValue("engram-failure-kind"));
    }

    [Fact]
    public async Task GoodModel_KeepsServingBesideTheFailedOnes()
    {
        var recording = await RecordAsync(Daemon.Client, Prompt("Hi.", 4)).WithTimeout();

        Assert.Equal("good", recording.Accepted.Model);
        Assert.Equal(4, recording.Finished.Timings.GeneratedTokens);
        Assert.False(Daemon.HasExited);
    }
}
