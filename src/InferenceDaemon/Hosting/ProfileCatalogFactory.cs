using Engram.Inference.Engine;
using Engram.InferenceDaemon.Models;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Turns validated <see cref="DaemonOptions"/> into the <see cref="ProfileCatalog"/> the engine serves; it only reads the options.</summary>
public static class ProfileCatalogFactory
{
    /// <summary>The profile <c>--model PATH</c> creates (or points at another file).</summary>
    public const string ShortcutProfileName = "default";

    public static IReadOnlyList<string> EffectiveProfileNames(DaemonOptions options)
    {
        var names = options.Profiles.Keys.ToList();
        if (!string.IsNullOrEmpty(options.Model) && !names.Contains(ShortcutProfileName, StringComparer.OrdinalIgnoreCase))
        {
            names.Add(ShortcutProfileName);
        }
        if (names.Count == 0)
        {
            names.Add(BuiltInModel.ProfileName);
        }
        return names;
    }

    public static ProfileCatalog Create(DaemonOptions options)
    {
        var profiles = new List<ModelProfile>();
        foreach (var (name, profile) in options.Profiles)
        {
            var isShortcut = name.Equals(ShortcutProfileName, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(options.Model);
            profiles.Add(ToProfile(name, profile,
                isShortcut ? options.Model! : profile.Model!,
                isShortcut && options.Backend is { } b ? b : profile.Backend,
                profiles.Count(p => p.Backend == BackendNames.Rkllm),
                isShortcut ? profile.RkllmLib ?? options.RkllmLib : profile.RkllmLib));
        }
        if (!string.IsNullOrEmpty(options.Model) && !options.Profiles.ContainsKey(ShortcutProfileName))
        {
            profiles.Add(ToProfile(ShortcutProfileName, new ProfileOptions(), options.Model, options.Backend ?? BackendNames.Llama,
                profiles.Count(p => p.Backend == BackendNames.Rkllm), options.RkllmLib));
        }
        if (profiles.Count == 0)
        {
            // Greedy, so the same question always gets the same (trained) answer.
            var builtIn = new ProfileOptions { MaxContextLen = BuiltInModel.MaxContextLen, DefaultMaxNewTokens = 64, MaxNewTokens = 256, Temperature = 0 };
            profiles.Add(ToProfile(BuiltInModel.ProfileName, builtIn, BuiltInModel.DefaultPath, BackendNames.Llama, 0, null) with
            {
                IsBuiltIn = true,
                Description = BuiltInModel.Describe(BuiltInModel.DefaultPath),
            });
        }

        var defaultProfile = options.DefaultModel is { Length: > 0 } d
            ? profiles.First(p => p.Name.Equals(d, StringComparison.OrdinalIgnoreCase)).Name
            : profiles.FirstOrDefault(p => p.Name == ShortcutProfileName)?.Name ?? profiles[0].Name;
        return new ProfileCatalog(profiles, defaultProfile);
    }

    private static ModelProfile ToProfile(string name, ProfileOptions options, string modelPath, string backend, int npuIndex, string? rkllmLib) => new()
    {
        Name = name,
        ModelPath = Path.GetFullPath(modelPath),
        Backend = backend.ToLowerInvariant(),
        MaxContextLen = options.MaxContextLen,
        DefaultMaxNewTokens = options.DefaultMaxNewTokens,
        MaxNewTokens = options.MaxNewTokens,
        Threads = options.Threads, // 0: resolved by the backend, which knows the CPUs it may use
        CpuAffinity = options.ResolveCpuAffinity($"Engram:profiles:{name}", []), // validated at start
        ThreadsBatch = options.ThreadsBatch,
        BatchSize = options.BatchSize,
        MicroBatchSize = options.MicroBatchSize,
        QueueSize = options.QueueSize,
        DefaultSampling = new SamplingSettings(options.Temperature, options.TopK, options.TopP, Seed: null),
        RequestTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
        VerifyChecksum = options.VerifyChecksum,
        PromptCacheSlots = options.PromptCacheSlots,
        KvCache = options.ResolveKvCache($"Engram:profiles:{name}", []), // validated at start
        LoadMode = options.ResolveLoadMode($"Engram:profiles:{name}", []), // validated at start
        Fallback = options.Fallback,
        Npu = new NpuSettings(
            rkllmLib is { Length: > 0 } lib ? Path.GetFullPath(lib) : null,
            options.RuntimeVersion,
            options.BaseDomainId >= 0 ? options.BaseDomainId : npuIndex,
            (uint)options.CpuMask,
            options.RepeatPenalty,
            options.FrequencyPenalty,
            options.PresencePenalty),
        Description = $"{backend} model {Path.GetFileName(modelPath)}",
    };
}
