using System.Numerics;
using System.Runtime.InteropServices;
using Engram.Inference.Backends.Rkllm.Native;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// Rockchip's RKLLM runtime on the RK3588 NPU. The runtime's ABI changed between minor versions, so the
/// version is configured or detected and mapped to a layout we know, never guessed. rkllm_init runs on the
/// model's worker thread with its output captured; what it prints (runtime and driver versions, the model's
/// target and dtype) is kept as the loaded model's <see cref="RuntimeFacts"/>.
/// </summary>
public sealed class RkllmBackend(IPlatformFacts platform, ILogger<RkllmBackend> logger) : IInferenceBackend
{
    public string Name => BackendNames.Rkllm;

    public async Task<ILoadedModel> LoadAsync(ModelProfile profile, CancellationToken cancellationToken)
    {
        var library = profile.Npu.Library ?? NpuSettings.StandardLibraryPaths.FirstOrDefault(File.Exists)
            ?? throw new ModelLoadException(FailureClass.Platform, "runtime_missing", "librkllmrt.so was not found",
                "install the RKLLM runtime to /usr/lib or set the profile's rkllm_lib");
        if (!File.Exists(library))
        {
            throw new ModelLoadException(FailureClass.Platform, "runtime_missing", $"{library} does not exist",
                "install the RKLLM runtime there or correct the profile's rkllm_lib");
        }
        var (version, abi) = await ResolveVersionAsync(profile, library, cancellationToken);
        RkllmLog.Loading(logger, profile.Name, library, version, abi.ToString());

        var worker = NativeWorkerThread.ForEngine(BackendNames.Rkllm, profile.Name);
        try
        {
            return await worker.InvokeAsync(() => Initialize(profile, library, version, abi, worker));
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    private async Task<(string Version, RkllmAbi Abi)> ResolveVersionAsync(ModelProfile profile, string library, CancellationToken cancellationToken)
    {
        var version = profile.Npu.RuntimeVersion;
        if (version.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            var (detected, output) = await RkllmVersionProbe.DetectAsync(library, profile.ModelPath, cancellationToken);
            version = detected ?? throw new ModelLoadException(FailureClass.Platform, "runtime_version_unknown",
                $"the version of {library} could not be detected (it printed no 'rkllm-runtime version' line: {Shorten(output)})",
                $"set the profile's runtime_version ({RkllmAbiVersions.Supported})");
        }
        var abi = RkllmAbiVersions.Of(version) ?? throw new ModelLoadException(FailureClass.Platform, "runtime_unsupported",
            $"RKLLM runtime {version} is not supported: its struct layouts are not known to match ours, and a wrong layout corrupts memory",
            $"install runtime {RkllmAbiVersions.Supported}");
        return (version, abi);
    }

    private unsafe RkllmLoadedModel Initialize(ModelProfile profile, string library, string version, RkllmAbi abi, NativeWorkerThread worker)
    {
        RkllmLibrary native;
        try
        {
            native = new RkllmLibrary(library, abi);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            throw new ModelLoadException(FailureClass.Platform, "runtime_unsupported", $"{library} cannot be used: {ex.Message}",
                "install the RKLLM runtime built for this board (aarch64), version " + RkllmAbiVersions.Supported, ex);
        }
        var modelPath = (byte*)Marshal.StringToCoTaskMemUTF8(profile.ModelPath);
        nint callbackStruct = 0;
        nint handle = 0;
        var (result, output) = StdioCapture.Run(() =>
        {
            if (abi == RkllmAbi.V1_3)
            {
                var param = native.CreateDefaultParamV13();
                ApplyProfile(ref param.MaxContextLen, ref param.MaxNewTokens, ref param.TopK, ref param.TopP, ref param.Temperature,
                    ref param.RepeatPenalty, ref param.FrequencyPenalty, ref param.PresencePenalty, ref param.ExtendParam, profile);
                param.ModelPath = modelPath;
                param.SkipSpecialToken = 1;
                callbackStruct = (nint)NativeMemory.AllocZeroed((nuint)sizeof(Native.V1_3.RkllmCallback));
                ((Native.V1_3.RkllmCallback*)callbackStruct)->ResultCallback = RkllmRun.CallbackPointer;
                nint h = 0;
                var status = native.Init(&h, &param, callbackStruct);
                handle = h;
                return status;
            }
            else
            {
                var param = native.CreateDefaultParamV12();
                ApplyProfile(ref param.MaxContextLen, ref param.MaxNewTokens, ref param.TopK, ref param.TopP, ref param.Temperature,
                    ref param.RepeatPenalty, ref param.FrequencyPenalty, ref param.PresencePenalty, ref param.ExtendParam, profile);
                param.ModelPath = modelPath;
                param.SkipSpecialToken = 1;
                nint h = 0;
                var status = native.Init(&h, &param, RkllmRun.CallbackPointer);
                handle = h;
                return status;
            }
        });
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            RkllmLog.RuntimeOutput(logger, profile.Name, line.TrimEnd());
        }
        var log = RkllmInitLog.Parse(output);

        var failure = result != 0 || handle == 0 ? RkllmInitFailures.Classify(log, result, platform.SocFamily) : null;
        if (failure is null && log.RuntimeVersion is { } reported && RkllmAbiVersions.Of(reported) != abi)
        {
            failure = new ModelFailure(FailureClass.Platform, "runtime_version_mismatch",
                $"the runtime reports version {reported}, but it was bound with the {abi} layout (runtime_version {version})",
                $"set runtime_version to {reported} (or auto)");
        }
        if (failure is not null)
        {
            if (handle != 0)
            {
                native.Destroy(handle);
            }
            if (callbackStruct != 0)
            {
                NativeMemory.Free((void*)callbackStruct);
            }
            Marshal.FreeCoTaskMem((nint)modelPath);
            native.Dispose();
            throw new ModelLoadException(failure);
        }
        RkllmLog.Ready(logger, profile.Name, log.RuntimeVersion ?? version, log.TargetPlatform ?? "?", log.ModelDtype ?? "?", log.DriverVersion ?? "?");
        return new RkllmLoadedModel(native, handle, worker, profile, callbackStruct, (nint)modelPath, profile.MaxContextLen,
            new RuntimeFacts(log.RuntimeVersion ?? version, log.DriverVersion, log.TargetPlatform, log.ModelDtype));
    }

    private void ApplyProfile(ref int maxContextLen, ref int maxNewTokens, ref int topK, ref float topP, ref float temperature,
        ref float repeatPenalty, ref float frequencyPenalty, ref float presencePenalty, ref RkllmExtendParam extend, ModelProfile profile)
    {
        maxContextLen = profile.MaxContextLen;
        maxNewTokens = profile.MaxNewTokens;
        topK = profile.DefaultSampling.TopK;
        topP = profile.DefaultSampling.TopP;
        temperature = profile.DefaultSampling.Temperature;
        repeatPenalty = profile.Npu.RepeatPenalty;
        frequencyPenalty = profile.Npu.FrequencyPenalty;
        presencePenalty = profile.Npu.PresencePenalty;
        extend.BaseDomainId = profile.Npu.BaseDomainId;
        var mask = CpuMask(profile);
        if (mask != 0)
        {
            extend.EnabledCpusMask = mask;
            extend.EnabledCpusNum = (sbyte)BitOperations.PopCount(mask);
        }
        extend.NBatch = 1;
    }

    public IReadOnlyList<int>? EngineCpus(ModelProfile profile) =>
        CpuMask(profile) is var mask and not 0 ? Enumerable.Range(0, 32).Where(cpu => (mask & (1u << cpu)) != 0).ToArray() : null;

    // The profile's cpu_mask, else the big cores the platform probe found (cpu4-7 on an RK3588 = 0xF0); 0 keeps the runtime's default.
    private uint CpuMask(ModelProfile profile) => profile.Npu.CpuMask != 0
        ? profile.Npu.CpuMask
        : platform.BigCores.Where(c => c < 32).Aggregate(0u, (mask, cpu) => mask | (1u << cpu));

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300] + "...";
}
