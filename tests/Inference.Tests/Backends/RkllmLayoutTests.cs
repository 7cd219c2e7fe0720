using System.Runtime.InteropServices;
using Engram.Inference.Backends.Rkllm.Native;
using Engram.TestSupport;
using V12 = Engram.Inference.Backends.Rkllm.Native.V1_2;
using V13 = Engram.Inference.Backends.Rkllm.Native.V1_3;

namespace Engram.Inference.Tests.Backends;

/// <summary>The C# struct layouts equal what the C compiler makes of the published header, for every supported ABI.</summary>
public sealed unsafe class RkllmLayoutTests
{
    private static long Native(string version, string key)
    {
        var library = NativeLibrary.Load(FakeRkllmRuntime.LibraryFor(version));
        var layout = (delegate* unmanaged<byte*, long>)NativeLibrary.GetExport(library, "fake_rkllm_layout");
        var name = (byte*)Marshal.StringToCoTaskMemUTF8(key);
        try
        {
            var value = layout(name);
            Assert.True(value >= 0, $"the fake runtime does not know '{key}'");
            return value;
        }
        finally
        {
            Marshal.FreeCoTaskMem((nint)name);
        }
    }

    private static void Same<T>(string version, string cStruct, params (string Field, string CSharpField)[] fields) where T : struct
    {
        Assert.Equal(Native(version, $"sizeof {cStruct}"), Marshal.SizeOf<T>());
        foreach (var (field, csharp) in fields)
        {
            Assert.True(Native(version, $"{cStruct}.{field}") == (long)Marshal.OffsetOf<T>(csharp),
                $"{version} {cStruct}.{field}: C {Native(version, $"{cStruct}.{field}")}, C# {Marshal.OffsetOf<T>(csharp)}");
        }
    }

    private static readonly (string, string)[] CommonParamFields =
    [
        ("model_path", "ModelPath"), ("max_context_len", "MaxContextLen"), ("max_new_tokens", "MaxNewTokens"), ("top_k", "TopK"),
        ("n_keep", "NKeep"), ("top_p", "TopP"), ("temperature", "Temperature"), ("repeat_penalty", "RepeatPenalty"),
        ("frequency_penalty", "FrequencyPenalty"), ("presence_penalty", "PresencePenalty"), ("mirostat", "Mirostat"),
        ("skip_special_token", "SkipSpecialToken"), ("is_async", "IsAsync"), ("extend_param", "ExtendParam"),
    ];

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1.3.0")]
    public void SharedStructs_MatchTheCompiler(string version)
    {
        Same<RkllmExtendParam>(version, "RKLLMExtendParam", ("base_domain_id", "BaseDomainId"), ("embed_flash", "EmbedFlash"),
            ("enabled_cpus_num", "EnabledCpusNum"), ("enabled_cpus_mask", "EnabledCpusMask"), ("n_batch", "NBatch"));
        Same<RkllmResult>(version, "RKLLMResult", ("text", "Text"), ("token_id", "TokenId"), ("perf", "Perf"));
        Same<RkllmPerfStat>(version, "RKLLMPerfStat", ("prefill_time_ms", "PrefillTimeMs"), ("prefill_tokens", "PrefillTokens"),
            ("generate_time_ms", "GenerateTimeMs"), ("generate_tokens", "GenerateTokens"));
    }

    [Fact]
    public void Abi12_MatchesTheCompiler()
    {
        Same<V12.RkllmParam>("1.2.3", "RKLLMParam", [.. CommonParamFields, ("img_start", "ImgStart")]);
        Same<V12.RkllmInput>("1.2.3", "RKLLMInput", ("role", "Role"), ("enable_thinking", "EnableThinking"), ("input_type", "InputType"),
            ("prompt_input", "PromptInput"));
        Same<V12.RkllmInferParam>("1.2.3", "RKLLMInferParam", ("mode", "Mode"), ("lora_params", "LoraParams"),
            ("prompt_cache_params", "PromptCacheParams"), ("keep_history", "KeepHistory"));
    }

    [Fact]
    public void Abi13_MatchesTheCompiler()
    {
        Same<V13.RkllmParam>("1.3.0", "RKLLMParam", [.. CommonParamFields, ("ignore_eos_token", "IgnoreEosToken")]);
        Same<V13.RkllmInput>("1.3.0", "RKLLMInput", ("role", "Role"), ("enable_thinking", "EnableThinking"), ("input_type", "InputType"),
            ("prompt_input", "PromptInput"));
        Same<V13.RkllmInferParam>("1.3.0", "RKLLMInferParam", ("mode", "Mode"), ("lora_params", "LoraParams"),
            ("prompt_cache_params", "PromptCacheParams"), ("sampling_params", "SamplingParams"), ("keep_history", "KeepHistory"),
            ("max_new_tokens", "MaxNewTokens"));
        Same<V13.RkllmCallback>("1.3.0", "RKLLMCallback", ("result_callback", "ResultCallback"), ("result_userdata", "ResultUserdata"));
    }

    [Theory]
    [InlineData("1.2.3", 208)]
    [InlineData("1.3.0", 184)]
    public void Sizes_AreThePublishedAarch64Sizes(string version, int paramSize)
    {
        // The fake is built for this machine (x86-64); LP64 gives the same layout as aarch64 for these types.
        Assert.Equal(paramSize, Native(version, "sizeof RKLLMParam"));
        Assert.Equal(72, Native(version, "sizeof RKLLMResult"));
        Assert.Equal(120, Native(version, "sizeof RKLLMExtendParam"));
    }
}
