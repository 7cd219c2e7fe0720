using System.ComponentModel.DataAnnotations;
using Engram.Inference.Engine;
using Microsoft.Extensions.Configuration;
using KvType = Engram.Inference.Engine.KvCacheType;
using PinnedCpus = Engram.Inference.Engine.CpuAffinity;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// One model profile: a model file, the backend that runs it, and the bounds every request on it gets.
/// Keys are snake_case (<c>Engram:profiles:NAME:max_context_len</c>), the names operators and docs use.
/// </summary>
public sealed class ProfileOptions
{
    public const int DefaultMaxContextLen = 2048;
    public const int DefaultDefaultMaxNewTokens = 256;
    public const int DefaultMaxNewTokensLimit = 1024;
    public const int DefaultQueueSize = 8;
    public const float DefaultTemperature = 0.7f;
    public const int DefaultTopK = 40;
    public const float DefaultTopP = 0.9f;
    public const int DefaultRequestTimeoutSeconds = 300;

    /// <summary>Path of the model file (GGUF for <c>llama</c>). Required, except for the built-in profile.</summary>
    [ConfigurationKeyName("model")]
    public string? Model { get; set; }

    /// <summary>The backend that runs the model: <c>llama</c> (llama.cpp on the CPU) or <c>rkllm</c> (the RK3588 NPU). Defaults to <c>llama</c>.</summary>
    [ConfigurationKeyName("backend")]
    public string Backend { get; set; } = BackendNames.Llama;

    /// <summary>Context window in tokens (prompt plus generated). Default 2048.</summary>
    [ConfigurationKeyName("max_context_len"), Range(16, 1 << 20)]
    public int MaxContextLen { get; set; } = DefaultMaxContextLen;

    /// <summary><c>max_new_tokens</c> for a request that does not set one. Default 256.</summary>
    [ConfigurationKeyName("default_max_new_tokens"), Range(1, 1 << 20)]
    public int DefaultMaxNewTokens { get; set; } = DefaultDefaultMaxNewTokens;

    /// <summary>The largest <c>max_new_tokens</c> a request may ask for. Default 1024.</summary>
    [ConfigurationKeyName("max_new_tokens"), Range(1, 1 << 20)]
    public int MaxNewTokens { get; set; } = DefaultMaxNewTokensLimit;

    /// <summary>CPU threads for generation; 0 means one per CPU the engine may use (cpu_affinity), else one per core. Default 0.</summary>
    [ConfigurationKeyName("threads"), Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>
    /// llama: the CPUs the engine's threads run on: <c>auto</c> (the big cores when the machine has big and little ones,
    /// cpu4-7 on an RK3588), <c>none</c>, or a list such as <c>4-7</c>. Only the engine's threads are pinned; the
    /// daemon's own follow the process (systemd's CPUAffinity=). Default auto.
    /// </summary>
    [ConfigurationKeyName("cpu_affinity")]
    public string CpuAffinity { get; set; } = "auto";

    /// <summary>llama: threads for prompt evaluation; 0 means the same as <c>threads</c>. Default 0.</summary>
    [ConfigurationKeyName("threads_batch"), Range(0, 256)]
    public int ThreadsBatch { get; set; }

    /// <summary>llama: prompt tokens handed to llama.cpp at once (n_batch). Default 512.</summary>
    [ConfigurationKeyName("n_batch"), Range(1, 1 << 16)]
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// llama: tokens computed per step within a batch (n_ubatch, at most n_batch). Its compute buffer grows with
    /// it; 256 prefills as fast as 512 on the boards measured with half the buffer. Default 256.
    /// </summary>
    [ConfigurationKeyName("n_ubatch"), Range(1, 1 << 16)]
    public int MicroBatchSize { get; set; } = 256;

    /// <summary>Requests that may wait while one generates; more are refused with RESOURCE_EXHAUSTED. Default 8.</summary>
    [ConfigurationKeyName("queue_size"), Range(0, 10_000)]
    public int QueueSize { get; set; } = DefaultQueueSize;

    /// <summary>Sampling temperature when a request sets none; 0 is greedy. Default 0.7.</summary>
    [ConfigurationKeyName("temperature"), Range(0.0, 2.0)]
    public float Temperature { get; set; } = DefaultTemperature;

    /// <summary>Top-k when a request sets none; 0 disables it. Default 40.</summary>
    [ConfigurationKeyName("top_k"), Range(0, 1_000_000)]
    public int TopK { get; set; } = DefaultTopK;

    /// <summary>Top-p when a request sets none; 1 disables it. Default 0.9.</summary>
    [ConfigurationKeyName("top_p"), Range(0.0, 1.0)]
    public float TopP { get; set; } = DefaultTopP;

    /// <summary>The profile new requests go to while the board is under pressure (a smaller model or context). Optional.</summary>
    [ConfigurationKeyName("fallback")]
    public string? Fallback { get; set; }

    /// <summary>rkllm: path of librkllmrt.so. Default: the first of /usr/lib, /usr/local/lib, /usr/lib/aarch64-linux-gnu.</summary>
    [ConfigurationKeyName("rkllm_lib")]
    public string? RkllmLib { get; set; }

    /// <summary>rkllm: the runtime's version (1.2.1, 1.2.2, 1.2.3, 1.3.0) or <c>auto</c> to detect it from its version log line. Default auto.</summary>
    [ConfigurationKeyName("runtime_version")]
    public string RuntimeVersion { get; set; } = "auto";

    /// <summary>rkllm: the NPU IOMMU domain of this handle; each handle needs its own. Default: the profile's position among rkllm profiles.</summary>
    [ConfigurationKeyName("base_domain_id"), Range(-1, 64)]
    public int BaseDomainId { get; set; } = -1;

    /// <summary>rkllm: CPUs the runtime may use, as a bit mask (0xF0 = cpu4-7). Default: the big cores the platform probe finds.</summary>
    [ConfigurationKeyName("cpu_mask"), Range(0, 0xFFFF)]
    public int CpuMask { get; set; }

    /// <summary>Repetition penalty (rkllm). Default 1.1.</summary>
    [ConfigurationKeyName("repeat_penalty"), Range(0.0, 10.0)]
    public float RepeatPenalty { get; set; } = 1.1f;

    /// <summary>Frequency penalty, -2 to 2 (rkllm). Default 0.</summary>
    [ConfigurationKeyName("frequency_penalty"), Range(-2.0, 2.0)]
    public float FrequencyPenalty { get; set; }

    /// <summary>Presence penalty, -2 to 2 (rkllm). Default 0.</summary>
    [ConfigurationKeyName("presence_penalty"), Range(-2.0, 2.0)]
    public float PresencePenalty { get; set; }

    /// <summary>Verify the model against its sidecar MODEL.sha256 (when there is one) before loading. Default true.</summary>
    [ConfigurationKeyName("verify_checksum")]
    public bool VerifyChecksum { get; set; } = true;

    /// <summary>Longest a generation may run once it starts; it then ends with finish reason deadline. Default 300 s.</summary>
    [ConfigurationKeyName("request_timeout_seconds"), Range(1, 86_400)]
    public int RequestTimeoutSeconds { get; set; } = DefaultRequestTimeoutSeconds;

    /// <summary>
    /// Conversations whose KV cache the model keeps, so a later request that shares a prefix with one prefills
    /// only the rest (llama: sequences in the one context, least recently used dropped first; rkllm: its own
    /// history, one conversation). 0 turns reuse off. Default 4.
    /// </summary>
    [ConfigurationKeyName("prompt_cache_slots"), Range(0, 64)]
    public int PromptCacheSlots { get; set; } = DefaultPromptCacheSlots;

    public const int DefaultPromptCacheSlots = 4;

    /// <summary>llama: the KV cache's type for keys and values, f16 (default), q8_0 or q4_0.</summary>
    [ConfigurationKeyName("kv_cache_type")]
    public string? KvCacheType { get; set; }

    /// <summary>llama: the keys' type, overriding kv_cache_type.</summary>
    [ConfigurationKeyName("kv_cache_type_k")]
    public string? KvCacheTypeK { get; set; }

    /// <summary>llama: the values' type, overriding kv_cache_type (a quantized V cache needs flash attention).</summary>
    [ConfigurationKeyName("kv_cache_type_v")]
    public string? KvCacheTypeV { get; set; }

    /// <summary>llama: flash attention, auto (default: llama.cpp decides, and turns it on for a quantized V cache), on or off.</summary>
    [ConfigurationKeyName("flash_attention")]
    public string FlashAttention { get; set; } = "auto";

    /// <summary>
    /// llama: how the weights come into memory: mmap (default: mapped from the file, shared with the page cache),
    /// mlock (mapped and locked in memory) or read (copied into the process).
    /// </summary>
    [ConfigurationKeyName("load_mode")]
    public string LoadMode { get; set; } = "mmap";

    /// <summary>The parsed <c>load_mode</c>; an unknown one goes to <paramref name="errors"/>.</summary>
    public ModelLoadMode ResolveLoadMode(string key, List<string> errors)
    {
        switch (LoadMode.ToLowerInvariant())
        {
            case "mmap":
                return ModelLoadMode.Mmap;
            case "mlock":
                return ModelLoadMode.Mlock;
            case "read":
                return ModelLoadMode.Read;
            default:
                errors.Add($"{key}:load_mode '{LoadMode}' is not mmap, mlock or read");
                return ModelLoadMode.Mmap;
        }
    }

    /// <summary>The parsed <c>cpu_affinity</c>; a problem (not a CPU list, more threads than CPUs) goes to <paramref name="errors"/>.</summary>
    public PinnedCpus ResolveCpuAffinity(string key, List<string> errors)
    {
        if (!PinnedCpus.TryParse(CpuAffinity, out var affinity, out var error))
        {
            errors.Add($"{key}:cpu_affinity {error}");
            return PinnedCpus.Auto;
        }
        if (affinity.Cpus is { Count: > 0 } cpus)
        {
            foreach (var (name, threads) in new[] { ("threads", Threads), ("threads_batch", ThreadsBatch) }.Where(t => t.Item2 > cpus.Count))
            {
                errors.Add($"{key}:{name} {threads} is more than the {cpus.Count} CPUs of cpu_affinity {affinity}: threads would share CPUs " +
                    "and every step would wait for the slowest");
            }
        }
        return affinity;
    }

    /// <summary>The KV-cache layout these keys describe; what is wrong with them goes to <paramref name="errors"/>.</summary>
    public KvCacheSettings ResolveKvCache(string key, List<string> errors)
    {
        KvType Type(string name, string? value, KvType fallback)
        {
            if (value is null)
            {
                return fallback;
            }
            if (KvCacheSettings.TryParse(value, out var type))
            {
                return type;
            }
            errors.Add($"{key}:{name} '{value}' is not a KV cache type (f16, q8_0 or q4_0)");
            return fallback;
        }
        var both = Type("kv_cache_type", KvCacheType, KvType.F16);
        FlashAttentionMode? flash = FlashAttention.ToLowerInvariant() switch
        {
            "auto" => FlashAttentionMode.Auto,
            "on" or "true" => FlashAttentionMode.On,
            "off" or "false" => FlashAttentionMode.Off,
            _ => null,
        };
        if (flash is null)
        {
            errors.Add($"{key}:flash_attention '{FlashAttention}' is not auto, on or off");
        }
        var settings = new KvCacheSettings(Type("kv_cache_type_k", KvCacheTypeK, both), Type("kv_cache_type_v", KvCacheTypeV, both),
            flash ?? FlashAttentionMode.Auto);
        if (settings.Problem is { } problem)
        {
            errors.Add($"{key}: {problem}");
        }
        return settings;
    }

    /// <summary>Whether any KV-cache key was set (they mean nothing to the rkllm backend).</summary>
    public bool SetsKvCache => KvCacheType is not null || KvCacheTypeK is not null || KvCacheTypeV is not null
        || !FlashAttention.Equals("auto", StringComparison.OrdinalIgnoreCase);
}
