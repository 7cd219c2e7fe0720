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
