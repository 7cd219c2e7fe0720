using Engram.Inference.Engine;
using Engram.Inference.Validation.Artifacts;
using Engram.Inference.Validation.Platform;

namespace Engram.Inference.Validation;

/// <summary>The verdict on one profile before loading: the artifact's facts and, if it cannot load, why.</summary>
public sealed record ModelValidation(ArtifactFacts? Facts, ModelFailure? Failure, long EstimatedBytes)
{
    public bool IsValid => Failure is null;
}

/// <summary>
/// Everything checkable without native code, in order: the file (artifact), the machine the backend needs
/// (platform), and whether the model fits in the memory available now.
/// </summary>
public sealed class ModelValidator(PlatformProbe probe)
{
    /// <summary>Allowance for compute buffers and the runtime itself.</summary>
    public const long OverheadBytes = 64L << 20;

    private static readonly Dictionary<string, string> KindOfPlatformCheck = new()
    {
        [SocCheck.CheckName] = "wrong_soc",
        [NpuDriverCheck.CheckName] = "npu_driver",
        [RkllmRuntimeCheck.CheckName] = "runtime_missing",
    };

    public PlatformProbe Probe { get; } = probe;

    public ModelValidation Validate(ModelProfile profile, bool verifyChecksum)
    {
        var npu = profile.Backend == BackendNames.Rkllm;
        var platform = Probe.Run(npuRequired: npu);
        var socFamily = SocCheck.FamilyOf(platform.Find(SocCheck.CheckName) is { Status: CheckStatus.Pass } soc ? soc.Value : null);

        var artifact = ArtifactInspector.Inspect(profile.ModelPath, profile.Backend, verifyChecksum, socFamily);
        if (artifact.Failure is not null)
        {
            return new ModelValidation(artifact.Facts, artifact.Failure, 0);
        }
        if (npu)
        {
            var failed = platform.Checks.FirstOrDefault(c => c.Status == CheckStatus.Fail && KindOfPlatformCheck.ContainsKey(c.Name));
            if (failed is not null)
            {
                return new ModelValidation(artifact.Facts, new ModelFailure(FailureClass.Platform, KindOfPlatformCheck[failed.Name],
                    $"{failed.Name}: {failed.Value}", failed.Remedy), 0);
            }
        }

        var facts = artifact.Facts!;
        if (!npu && profile.KvCache.ProblemWithHeadSize(facts.HeadSize) is { } layout)
        {
            return new ModelValidation(facts, new ModelFailure(FailureClass.Artifact, "unsupported",
                $"kv_cache_type does not suit this model: {layout}",
                "use kv_cache_type f16 for this model (or a type whose block divides its head size)"), 0);
        }
        var needed = facts.SizeBytes + KvCacheBytes(profile, facts) + OverheadBytes;
        var available = MemoryCheck.AvailableBytes(Probe.Root);
        if (available is { } free && free < needed)
        {
            return new ModelValidation(facts, new ModelFailure(FailureClass.Platform, "not_enough_memory",
                $"the model needs about {needed / 1048576} MiB but only {free / 1048576} MiB are available",
                "free memory (stop other services), use a smaller model or quantization, or lower max_context_len"), needed);
        }
        return new ModelValidation(facts, null, needed);
    }

    /// <summary>The KV cache of the whole context in the profile's cache types (the rkllm runtime keeps its own, in f16).</summary>
    public static long KvCacheBytes(ModelProfile profile, ArtifactFacts facts) =>
        (profile.Backend == BackendNames.Rkllm ? KvCacheSettings.Default : profile.KvCache).BytesPerToken(facts.KvElementsPerToken) * profile.MaxContextLen;
}
