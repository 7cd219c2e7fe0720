using Engram.Inference.Engine;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Tests.Hosting;

public sealed class DaemonOptionsValidatorTests
{
    private static IReadOnlyList<string> Validate(DaemonOptions options) =>
        new DaemonOptionsValidator().Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void Validate_NothingConfigured_IsValid()
    {
        Assert.Empty(Validate(new DaemonOptions()));
    }

    [Fact]
    public void Validate_ListsEveryProblemWithItsKey()
    {
        var options = new DaemonOptions { Listen = "nowhere" };
        options.Profiles["a"] = new ProfileOptions { Backend = "gpu", MaxContextLen = 4, DefaultMaxNewTokens = 50, MaxNewTokens = 10 };

        var failures = Validate(options);

        Assert.Contains(failures, f => f.StartsWith("Engram:listen:"));
        Assert.Contains(failures, f => f.Contains("Engram:profiles:a:model is required"));
        Assert.Contains(failures, f => f.Contains("backend 'gpu' is not a known backend"));
        Assert.Contains(failures, f => f.Contains("Engram:profiles:a") && f.Contains("MaxContextLen"));
        Assert.Contains(failures, f => f.Contains("default_max_new_tokens (50) is above max_new_tokens (10)"));
    }

    [Theory]
    [InlineData(0, 900)]
    [InlineData(120, 0)]
    [InlineData(86_401, 900)]
    public void Validate_DaemonWideRangesAreEnforced(int stallTimeoutSeconds, int loadTimeoutSeconds)
    {
        var failures = Validate(new DaemonOptions { StallTimeoutSeconds = stallTimeoutSeconds, LoadTimeoutSeconds = loadTimeoutSeconds });

        Assert.Contains(failures, f => f.StartsWith("Engram:") && (f.Contains("StallTimeoutSeconds") || f.Contains("LoadTimeoutSeconds")));
    }

    [Fact]
    public void Create_ReadsTheOptionsWithoutChangingThem()
    {
        var options = new DaemonOptions { Model = "/models/x.gguf", RkllmLib = "/opt/rkllm/librkllmrt.so", Backend = "rkllm" };
        options.Profiles["default"] = new ProfileOptions { Model = "/ignored.gguf" };

        var profile = Assert.Single(ProfileCatalogFactory.Create(options).Profiles);

        Assert.Equal("/opt/rkllm/librkllmrt.so", profile.Npu.Library);
        Assert.Null(options.Profiles["default"].RkllmLib);
    }

    [Fact]
    public void Validate_SeveralProfilesWithoutADefault_AsksForOne()
    {
        var options = new DaemonOptions();
        options.Profiles["a"] = new ProfileOptions { Model = "/a.gguf" };
        options.Profiles["b"] = new ProfileOptions { Model = "/b.gguf" };

        Assert.Contains(Validate(options), f => f.Contains("default_model must name one of"));
        options.DefaultModel = "b";
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void Create_ModelShortcut_MakesTheDefaultProfile()
    {
        var catalog = ProfileCatalogFactory.Create(new DaemonOptions { Model = "/models/x.gguf" });

        var profile = Assert.Single(catalog.Profiles);
        Assert.Equal("default", profile.Name);
        Assert.Equal("/models/x.gguf", profile.ModelPath);
        Assert.Equal("default", catalog.DefaultProfile);
    }

    [Fact]
    public void Create_NothingConfigured_ServesTheBuiltInTinyChatModelGreedily()
    {
        var catalog = ProfileCatalogFactory.Create(new DaemonOptions());

        var profile = Assert.Single(catalog.Profiles);
        Assert.True(profile.IsBuiltIn);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "engram-tiny-chat.gguf"), profile.ModelPath);
        Assert.StartsWith("built-in tiny chat model", profile.Description);
        Assert.True(profile.DefaultSampling.IsGreedy);
    }

    [Fact]
    public void Validate_KvCacheLayouts_RefusesWhatLlamaCppCannotDo_WithTheReason()
    {
        var options = new DaemonOptions { DefaultModel = "ok" };
        options.Profiles["ok"] = new ProfileOptions { Model = "/a.gguf", KvCacheType = "q8_0" };
        options.Profiles["vq"] = new ProfileOptions { Model = "/a.gguf", KvCacheTypeV = "q4_0", FlashAttention = "off" };
        options.Profiles["typo"] = new ProfileOptions { Model = "/a.gguf", KvCacheType = "q5_1", FlashAttention = "sometimes" };
        options.Profiles["npu"] = new ProfileOptions { Model = "/m.rkllm", Backend = "rkllm", KvCacheType = "q8_0" };

        var failures = Validate(options);

        Assert.DoesNotContain(failures, f => f.Contains("profiles:ok"));
        Assert.Contains(failures, f => f.StartsWith("Engram:profiles:vq:") && f.Contains("a q4_0 V cache needs flash attention"));
        Assert.Contains(failures, f => f.Contains("Engram:profiles:typo:kv_cache_type 'q5_1' is not a KV cache type (f16, q8_0 or q4_0)"));
        Assert.Contains(failures, f => f.Contains("Engram:profiles:typo:flash_attention 'sometimes' is not auto, on or off"));
        Assert.Contains(failures, f => f.StartsWith("Engram:profiles:npu:") && f.Contains("apply to the llama backend only"));
    }

    [Fact]
    public void Create_KvCacheAndPromptCacheSettings_ReachTheProfile()
    {
        var options = new DaemonOptions { Model = "/models/x.gguf" };
        options.Profiles["default"] = new ProfileOptions { KvCacheType = "q8_0", KvCacheTypeV = "q4_0", PromptCacheSlots = 0 };

        var profile = Assert.Single(ProfileCatalogFactory.Create(options).Profiles);

        Assert.Equal(new KvCacheSettings(KvCacheType.Q8_0, KvCacheType.Q4_0, FlashAttentionMode.Auto), profile.KvCache);
        Assert.Equal(0, profile.PromptCacheSlots);
        Assert.Equal(4, ProfileCatalogFactory.Create(new DaemonOptions()).Profiles[0].PromptCacheSlots);
    }

    [Theory]
    [InlineData("4-7,9", 0, null)]
    [InlineData("auto", 8, null)]
    [InlineData("7-4", 0, "Engram:profiles:p:cpu_affinity '7-4' is not auto, none or a CPU list")]
    [InlineData("big", 0, "Engram:profiles:p:cpu_affinity 'big' is not auto, none or a CPU list")]
    [InlineData("4-7", 8, "Engram:profiles:p:threads 8 is more than the 4 CPUs of cpu_affinity 4-7")]
    public void Validate_CpuAffinity_IsAListOfCpusThatFitsTheThreads(string affinity, int threads, string? failure)
    {
        var options = new DaemonOptions();
        options.Profiles["p"] = new ProfileOptions { Model = "/p.gguf", CpuAffinity = affinity, Threads = threads };

        var failures = Validate(options);

        if (failure is null)
        {
            Assert.Empty(failures);
            Assert.Equal(affinity == "auto" ? "auto" : "4-7,9", ProfileCatalogFactory.Create(options).Profiles.Single().CpuAffinity.Text);
        }
        else
        {
            Assert.Contains(failures, f => f.StartsWith(failure, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("none", null)]
    [InlineData("0-3", null)]
    [InlineData("little", "Engram:daemon_cpu_affinity 'little' is not auto, none or a CPU list")]
    public void Validate_DaemonCpuAffinity_IsAutoNoneOrACpuList(string affinity, string? failure)
    {
        var options = new DaemonOptions { DaemonCpuAffinity = affinity };

        var failures = Validate(options);

        if (failure is null)
        {
            Assert.Empty(failures);
            Assert.Equal(affinity, options.ResolveDaemonCpuAffinity([]).Text);
        }
        else
        {
            Assert.StartsWith(failure, Assert.Single(failures), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_CpuAffinity_AlsoBoundsThePromptThreads()
    {
        var options = new DaemonOptions();
        options.Profiles["p"] = new ProfileOptions { Model = "/p.gguf", CpuAffinity = "4-7", ThreadsBatch = 6 };

        Assert.Contains("Engram:profiles:p:threads_batch 6 is more than the 4 CPUs of cpu_affinity 4-7", Assert.Single(Validate(options)));
    }

    [Theory]
    [InlineData("llama", "mmap", null)]
    [InlineData("llama", "MLOCK", null)]
    [InlineData("llama", "read", null)]
    [InlineData("llama", "direct", "Engram:profiles:p:load_mode 'direct' is not mmap, mlock or read")]
    [InlineData("rkllm", "mlock", "Engram:profiles:p: load_mode applies to the llama backend only")]
    public void Validate_LoadMode_IsOneTheLlamaBackendKnows(string backend, string mode, string? failure)
    {
        var options = new DaemonOptions();
        options.Profiles["p"] = new ProfileOptions { Model = "/p.gguf", Backend = backend, LoadMode = mode };

        var failures = Validate(options);

        if (failure is null)
        {
            Assert.Empty(failures);
        }
        else
        {
            Assert.Contains(failure, Assert.Single(failures));
        }
    }
}
