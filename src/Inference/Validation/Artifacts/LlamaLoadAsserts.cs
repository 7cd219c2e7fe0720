using Engram.ModelFiles.Gguf;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>
/// The GGUF metadata that llama.cpp checks with GGML_ASSERT while loading (an assert aborts the whole process,
/// exit 134) or when it first tokenizes, checked here first from the file alone so such a file is refused as
/// corrupt instead of crashing the daemon. From llama.cpp's llama-vocab.cpp load() and tokenize(), and
/// llama-model.cpp load_hparams() (release b10361, the nearest reachable to 815a2a59, which LLamaSharp 0.30.0 ships).
/// Checks that llama.cpp makes by throwing (a C++ exception it turns into an error) are not repeated here.
/// </summary>
public static class LlamaLoadAsserts
{
    public const int MaxLayers = 512;   // LLAMA_MAX_LAYERS
    public const int MaxExperts = 512;  // LLAMA_MAX_EXPERTS
    private static readonly string[] RopeScalingTypes = ["none", "linear", "yarn", "longrope"];

    /// <summary>What llama.cpp would abort on, in words; null when it would not.</summary>
    public static string? Check(GgufInspection inspection)
    {
        var metadata = inspection.Metadata;
        var arch = inspection.Architecture;
        long? Number(string key) => metadata.GetValueOrDefault(key) switch
        {
            uint u => u,
            int i => i,
            ulong l => (long)l,
            long l => l,
            ushort s => s,
            short s => s,
            byte b => b,
            sbyte b => b,
            _ => null,
        };

        if (metadata.GetValueOrDefault(GgufReader.VocabularyKey) is GgufArraySummary { FirstDuplicate: { } duplicate })
        {
            return $"the vocabulary has the token '{Shorten(duplicate.Text)}' twice (ids {duplicate.FirstIndex} and {duplicate.SecondIndex}); " +
                "llama.cpp aborts loading such a file";
        }
        if (Number($"{arch}.block_count") is { } layers && layers is <= 0 or > MaxLayers)
        {
            return $"{arch}.block_count is {layers}; llama.cpp aborts unless it is from 1 to {MaxLayers}";
        }

        var experts = Number($"{arch}.expert_count") ?? 0;
        var used = Number($"{arch}.expert_used_count") ?? 0;
        var groups = Number($"{arch}.expert_group_count") ?? 0;
        var groupsUsed = Number($"{arch}.expert_group_used_count") ?? 0;
        if (experts > MaxExperts)
        {
            return $"{arch}.expert_count is {experts}; llama.cpp aborts above {MaxExperts}";
        }
        if (used > experts)
        {
            return $"{arch}.expert_used_count ({used}) is more than {arch}.expert_count ({experts}); llama.cpp aborts";
        }
        if (experts > 0 && (used == 0 || groups >= experts || (groups > 1 && (experts % groups != 0 || groupsUsed == 0 || groupsUsed >= groups))))
        {
            return $"the expert counts are inconsistent (expert_count {experts}, expert_used_count {used}, expert_group_count {groups}, " +
                $"expert_group_used_count {groupsUsed}); llama.cpp aborts";
        }
        if (experts == 0 && groups != 0)
        {
            return $"{arch}.expert_group_count is {groups} for a model without experts; llama.cpp aborts";
        }

        if (metadata.GetValueOrDefault($"{arch}.rope.scaling.type") is string scaling && !RopeScalingTypes.Contains(scaling))
        {
            return $"{arch}.rope.scaling.type '{Shorten(scaling)}' is not one of {string.Join(", ", RopeScalingTypes)}; llama.cpp aborts";
        }

        return CheckSpecialTokens(metadata, Number);
    }

    // llama.cpp asserts, at the first tokenization, that a vocabulary told to add BOS (EOS) has one.
    private static string? CheckSpecialTokens(IReadOnlyDictionary<string, object> metadata, Func<string, long?> number)
    {
        if (metadata.GetValueOrDefault(GgufReader.VocabularyKey) is not GgufArraySummary vocabulary)
        {
            return null; // llama.cpp refuses this with an error of its own
        }
        // The defaults llama.cpp gives each tokenizer when the file names no id (or one out of range).
        (long Bos, long Eos)? defaults = (metadata.GetValueOrDefault("tokenizer.ggml.model") as string) switch
        {
            "llama" => (1, 2),
            "gpt2" => (11, 11),
            _ => null,
        };
        if (defaults is not { } fallback)
        {
            return null;
        }
        var size = (long)vocabulary.Count;
        long? Resolve(string key, long fallbackId) => number(key) is { } id && id >= 0 && id < size ? id : fallbackId < size ? fallbackId : null;
        if (metadata.GetValueOrDefault("tokenizer.ggml.add_bos_token") is true && Resolve("tokenizer.ggml.bos_token_id", fallback.Bos) is null)
        {
            return $"tokenizer.ggml.add_bos_token is set but the vocabulary of {size} tokens has no begin-of-sequence token; llama.cpp aborts at the first prompt";
        }
        if (metadata.GetValueOrDefault("tokenizer.ggml.add_eos_token") is true && Resolve("tokenizer.ggml.eos_token_id", fallback.Eos) is null)
        {
            return $"tokenizer.ggml.add_eos_token is set but the vocabulary of {size} tokens has no end-of-sequence token; llama.cpp aborts at the first prompt";
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
