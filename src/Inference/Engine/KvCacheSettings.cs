namespace Engram.Inference.Engine;

/// <summary>How the KV cache stores keys and values: f16 (llama.cpp's default) or a block-quantized type.</summary>
public enum KvCacheType
{
    F16,
    Q8_0,
    Q4_0,
}

/// <summary>llama.cpp's flash attention: let it decide, always, or never (a quantized V cache needs it).</summary>
public enum FlashAttentionMode
{
    Auto,
    On,
    Off,
}

/// <summary>A profile's KV-cache layout (llama backend): the key and value types and flash attention.</summary>
public sealed record KvCacheSettings(KvCacheType KeyType, KvCacheType ValueType, FlashAttentionMode FlashAttention)
{
    public static KvCacheSettings Default { get; } = new(KvCacheType.F16, KvCacheType.F16, FlashAttentionMode.Auto);

    /// <summary>Elements per quantization block of a type (1 for f16: any head size will do).</summary>
    public static int BlockSize(KvCacheType type) => type == KvCacheType.F16 ? 1 : 32;

    /// <summary>Bytes per element: f16 2; q8_0 34 bytes per 32; q4_0 18 bytes per 32 (ggml's block layouts).</summary>
    public static double BytesPerElement(KvCacheType type) => type switch
    {
        KvCacheType.Q8_0 => 34.0 / 32,
        KvCacheType.Q4_0 => 18.0 / 32,
        _ => 2.0,
    };

    public static string NameOf(KvCacheType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out KvCacheType type)
    {
        (var known, type) = text?.ToLowerInvariant() switch
        {
            "f16" => (true, KvCacheType.F16),
            "q8_0" => (true, KvCacheType.Q8_0),
            "q4_0" => (true, KvCacheType.Q4_0),
            _ => (false, KvCacheType.F16),
        };
        return known;
    }

    /// <summary>Bytes the cache takes per token of context, for a model with this many K (and V) elements per token.</summary>
    public long BytesPerToken(long elementsPerToken) =>
        (long)Math.Ceiling(elementsPerToken * (BytesPerElement(KeyType) + BytesPerElement(ValueType)));

    /// <summary>Why this layout cannot work at all (a quantized V cache without flash attention), or null.</summary>
    public string? Problem => ValueType != KvCacheType.F16 && FlashAttention == FlashAttentionMode.Off
        ? $"a {NameOf(ValueType)} V cache needs flash attention (llama.cpp quantizes V only with it): set flash_attention to auto or on, or kv_cache_type_v to f16"
        : null;

    /// <summary>Why a model with heads of <paramref name="headSize"/> elements cannot use this layout, or null.</summary>
    public string? ProblemWithHeadSize(long headSize)
    {
        foreach (var (which, type) in new[] { ("K", KeyType), ("V", ValueType) })
        {
            if (headSize > 0 && headSize % BlockSize(type) != 0)
            {
                return $"the {which} cache type {NameOf(type)} stores blocks of {BlockSize(type)} but this model's heads are {headSize} wide";
            }
        }
        return null;
    }

    public override string ToString() => KeyType == ValueType
        ? $"{NameOf(KeyType)}, flash attention {FlashAttention.ToString().ToLowerInvariant()}"
        : $"K {NameOf(KeyType)} / V {NameOf(ValueType)}, flash attention {FlashAttention.ToString().ToLowerInvariant()}";
}
