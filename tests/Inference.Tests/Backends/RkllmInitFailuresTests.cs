using Engram.Inference.Backends.Rkllm;
using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Backends;

/// <summary>
/// A failed rkllm_init is classified from what the runtime printed: first from its facts (the model's target
/// platform against the board's SoC), from the wording of its error lines only when the facts say nothing.
/// </summary>
public sealed class RkllmInitFailuresTests
{
    private const string VersionLine = "I rkllm: rkllm-runtime version: 1.2.3, rknpu driver version: 0.9.8, platform: RK3588";

    private static string ToolkitLine(string target) =>
        $"I rkllm: rkllm-toolkit version: 1.2.3, max_context_limit: 4096, npu_core_num: 3, target_platform: {target}, model_dtype: W8A8";

    [Fact]
    public void AModelForAnotherChip_IsAWrongTargetWhateverTheErrorSays()
    {
        var log = RkllmInitLog.Parse($"{VersionLine}\n{ToolkitLine("RK3576")}\nE rkllm: model rejected (code 0x2a)\n");

        var failure = RkllmInitFailures.Classify(log, -1, socFamily: "rk3588");

        Assert.Equal((FailureClass.Artifact, "wrong_target"), (failure.Class, failure.Kind));
        Assert.Contains("converted for RK3576 but this board is RK3588", failure.Detail);
        Assert.Contains("model rejected (code 0x2a)", failure.Detail);
        Assert.Contains("target_platform='rk3588'", failure.Remedy);
    }

    [Fact]
    public void WithoutTheFacts_TheWordingDecides()
    {
        var log = RkllmInitLog.Parse($"{VersionLine}\nE rkllm: the model's target_platform does not match this platform\n");

        Assert.Equal("wrong_target", RkllmInitFailures.Classify(log, -1, socFamily: "rk3588").Kind);
        Assert.Equal("wrong_target", RkllmInitFailures.Classify(log, -1, socFamily: null).Kind);
    }

    [Fact]
    public void AModelForThisChip_WithAnErrorNothingExplains_IsANativeRuntimeError()
    {
        var log = RkllmInitLog.Parse($"{VersionLine}\n{ToolkitLine("rk3588")}\nE rkllm: model rejected (code 0x2a)\n");

        var failure = RkllmInitFailures.Classify(log, -1, socFamily: "rk3588");

        Assert.Equal((FailureClass.Runtime, "native_error"), (failure.Class, failure.Kind));
        Assert.Contains("rkllm_init returned -1", failure.Detail);
    }
}
