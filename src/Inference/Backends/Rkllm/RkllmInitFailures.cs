using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>Turns a failed rkllm_init, and the error lines the runtime printed, into a classified failure.</summary>
public static class RkllmInitFailures
{
    /// <summary>
    /// Decided from the facts the runtime printed first (the model's target platform against the board's SoC),
    /// and from the wording of its error lines only when the facts say nothing: wording changes between versions.
    /// </summary>
    public static ModelFailure Classify(RkllmInitLog log, int returnCode, string? socFamily)
    {
        var errors = string.Join(" | ", log.Errors);
        if (log.TargetPlatform is { } target && socFamily is { } board && !target.Equals(board, StringComparison.OrdinalIgnoreCase))
        {
            return new(FailureClass.Artifact, "wrong_target",
                $"the model was converted for {target.ToUpperInvariant()} but this board is {board.ToUpperInvariant()} (the runtime's init log): {errors}",
                $"convert it with rkllm-toolkit for target_platform='{board.ToLowerInvariant()}' or download the {board.ToUpperInvariant()} build");
        }
        bool Says(string text) => log.Errors.Concat(log.Warnings).Any(e => e.Contains(text, StringComparison.OrdinalIgnoreCase));

        if (Says("invalid rkllm model") || Says("invalid magic") || Says("failed to load model") || Says("failed to open rkllm model"))
        {
            return new(FailureClass.Artifact, "corrupt", $"the runtime rejected the model file: {errors}",
                "the file is not an .rkllm model for this runtime: download it again or convert it with the matching rkllm-toolkit version");
        }
        if (Says("max_context_limit") || Says("max_context["))
        {
            return new(FailureClass.Artifact, "context_limit", $"max_context_len is above what the model was converted for: {errors}",
                $"lower the profile's max_context_len to at most the model's max_context_limit ({log.MaxContextLimit?.ToString() ?? "see the error"})");
        }
        if (Says("target_platform") || Says("is for RK"))
        {
            return new(FailureClass.Artifact, "wrong_target",
                $"the model was converted for {log.TargetPlatform ?? "another chip"} but the runtime runs on {log.Platform ?? "this board"}: {errors}",
                "convert the model for this chip or download the matching build");
        }
        if (Says("driver version is too low") || Says("rknpu module") || Says("rknn device") || Says("Device is not available"))
        {
            return new(FailureClass.Platform, "npu_driver", $"the NPU driver is missing or too old (driver {log.DriverVersion ?? "unknown"}): {errors}",
                "install or upgrade the RKNPU driver to 0.9.8 and check /dev/dri or /dev/rknpu access");
        }
        if (Says("Platform error") || Says("Your platform is"))
        {
            return new(FailureClass.Platform, "wrong_soc", $"the runtime does not support this SoC: {errors}", "run the rkllm backend on an RK3588-family board");
        }
        if (Says("enabled CPUs"))
        {
            return new(FailureClass.Platform, "cpu_mask", $"too few CPUs enabled for the model's NPU cores: {errors}",
                "set the profile's cpu_mask to at least as many cores as the model's npu_core_num (0xF0 = the four big cores)");
        }
        return new(FailureClass.Runtime, "native_error", $"rkllm_init returned {returnCode}: {(errors.Length > 0 ? errors : "no error line printed")}",
            "see the runtime's log lines above; check the runtime and model versions match");
    }
}
