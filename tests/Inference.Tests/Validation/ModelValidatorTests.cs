using Engram.Inference.Engine;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Platform;
using Engram.TestSupport;

namespace Engram.Inference.Tests.Validation;

/// <summary>The verdict before loading: artifact first, then the platform the backend needs, then memory.</summary>
public sealed class ModelValidatorTests : IDisposable
{
    private readonly ModelArtifacts _files = new();

    public void Dispose() => _files.Dispose();

    private static ModelValidation Validate(FakePlatformRoot root, string path, string backend = "llama") =>
        new ModelValidator(PlatformProbe.Create(root.Path, [])).Validate(
            TestProfiles.Create() with { ModelPath = path, Backend = backend }, verifyChecksum: true);

    [Fact]
    public void ModelLargerThanFreeMemory_IsAPlatformFailure()
    {
        using var root = FakePlatformRoot.Rk3588(availableMiB: 20);

        var validation = Validate(root, _files.Good());

        Assert.Equal(FailureClass.Platform, validation.Failure!.Class);
        Assert.Equal("not_enough_memory", validation.Failure.Kind);
        Assert.Contains("only 20 MiB are available", validation.Failure.Detail);
    }

    [Fact]
    public void GoodModelWithMemory_IsValidWithAnEstimate()
    {
        using var root = FakePlatformRoot.NonRockchip(availableMiB: 4000);

        var validation = Validate(root, _files.Good());

        Assert.True(validation.IsValid);
        Assert.True(validation.EstimatedBytes > new FileInfo(_files.PathOf("good.gguf")).Length);
    }

    [Fact]
    public void TheEstimate_CountsTheKvCacheInItsType()
    {
        using var root = FakePlatformRoot.NonRockchip(availableMiB: 4000);
        var profile = TestProfiles.Create() with { ModelPath = _files.Good(), MaxContextLen = 8192 };
        var validator = new ModelValidator(PlatformProbe.Create(root.Path, []));
        long Estimate(KvCacheSettings kv) => validator.Validate(profile with { KvCache = kv }, verifyChecksum: false).EstimatedBytes;

        var f16 = Estimate(KvCacheSettings.Default);
        var q8 = Estimate(new KvCacheSettings(KvCacheType.Q8_0, KvCacheType.F16, FlashAttentionMode.Auto));

        // The tiny shape holds 2 layers x 4 KV heads x 16 = 128 elements of K and as many of V per token.
        Assert.Equal(128L * (2 + 2) * 8192, f16 - (new FileInfo(profile.ModelPath).Length + ModelValidator.OverheadBytes));
        Assert.Equal(0, q8); // q8_0 keys need heads a multiple of 32 wide: refused, not estimated
    }

    [Fact]
    public void AQuantizedKvCache_OnAModelWhoseHeadsItCannotBlock_IsRefusedWithTheReason()
    {
        using var root = FakePlatformRoot.NonRockchip(availableMiB: 4000);
        var profile = TestProfiles.Create() with
        {
            ModelPath = _files.Good(),
            KvCache = new KvCacheSettings(KvCacheType.Q4_0, KvCacheType.Q4_0, FlashAttentionMode.On),
        };

        var validation = new ModelValidator(PlatformProbe.Create(root.Path, [])).Validate(profile, verifyChecksum: false);

        Assert.Equal((FailureClass.Artifact, "unsupported"), (validation.Failure!.Class, validation.Failure.Kind));
        Assert.Contains("q4_0 stores blocks of 32 but this model's heads are 16 wide", validation.Failure.Detail);
    }

    [Fact]
    public void KvCacheLayouts_CostWhatGgmlStores()
    {
        var q8 = new KvCacheSettings(KvCacheType.Q8_0, KvCacheType.Q8_0, FlashAttentionMode.Auto);
        var q4 = new KvCacheSettings(KvCacheType.Q4_0, KvCacheType.Q4_0, FlashAttentionMode.Auto);
        var mixed = new KvCacheSettings(KvCacheType.Q8_0, KvCacheType.F16, FlashAttentionMode.Off);

        Assert.Equal(4096, KvCacheSettings.Default.BytesPerToken(1024));
        Assert.Equal(2176, q8.BytesPerToken(1024)); // 34 bytes per 32
        Assert.Equal(1152, q4.BytesPerToken(1024)); // 18 bytes per 32
        Assert.Null(mixed.Problem); // a quantized K needs no flash attention
        Assert.Contains("needs flash attention", (q4 with { FlashAttention = FlashAttentionMode.Off }).Problem);
    }

    [Fact]
    public void RkllmOnANonRockchipMachine_IsAPlatformFailure()
    {
        using var root = FakePlatformRoot.NonRockchip();

        var validation = Validate(root, _files.Rkllm("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm"), "rkllm");

        Assert.Equal(FailureClass.Platform, validation.Failure!.Class);
        Assert.Equal("wrong_soc", validation.Failure.Kind);
    }

    [Fact]
    public void RkllmWithAnOldDriver_IsAPlatformFailure()
    {
        using var root = FakePlatformRoot.Rk3588(driver: "0.9.6").RkllmRuntime();

        var validation = Validate(root, _files.Rkllm("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm"), "rkllm");

        Assert.Equal("npu_driver", validation.Failure!.Kind);
    }

    [Fact]
    public void BadArtifact_IsReportedBeforeThePlatform()
    {
        using var root = FakePlatformRoot.NonRockchip();

        var validation = Validate(root, _files.Rkllm("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm", sizeBytes: 0), "rkllm");

        Assert.Equal(FailureClass.Artifact, validation.Failure!.Class);
        Assert.Equal("empty", validation.Failure.Kind);
    }
}
