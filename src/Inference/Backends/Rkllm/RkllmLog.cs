using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>Log messages of the RKLLM backend (event ids 2000-2099).</summary>
internal static partial class RkllmLog
{
    [LoggerMessage(2000, LogLevel.Information, "model {Model}: loading RKLLM runtime {Library} version {Version} (ABI {Abi})", EventName = "RkllmLoading")]
    public static partial void Loading(ILogger logger, string model, string library, string version, string abi);

    [LoggerMessage(2001, LogLevel.Information, "model {Model}: runtime: {Line}", EventName = "RkllmRuntimeOutput")]
    public static partial void RuntimeOutput(ILogger logger, string model, string line);

    [LoggerMessage(2002, LogLevel.Information, "model {Model}: RKLLM {Version} ready, target_platform={Target} model_dtype={Dtype} driver={Driver}",
        EventName = "RkllmReady")]
    public static partial void Ready(ILogger logger, string model, string version, string target, string dtype, string driver);
}
