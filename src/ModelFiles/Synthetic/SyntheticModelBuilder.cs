using Engram.ModelFiles.Gguf;

namespace Engram.ModelFiles.Synthetic;

/// <summary>
/// Lays out a llama-family GGUF (metadata, tokenizer, every tensor llama.cpp requires) for a shape and a
/// vocabulary; the values come from a <see cref="WeightSource"/>.
/// </summary>
public sealed class SyntheticModelBuilder(ModelShape shape, SpmTokenizer tokenizer)
{
    public SyntheticModelBuilder(ModelShape shape, SyntheticVocabulary vocabulary) : this(shape, vocabulary.Tokenizer)
    {
    }

    public ModelShape Shape { get; } = shape;
    public SpmTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The name stored as <c>general.name</c>.</summary>
    public string Name { get; init; } = $"engram-synthetic-{shape.Name}";

    /// <summary>Type of the 2-D weight matrices; norms and biases stay F32 as in real conversions.</summary>
    public GgmlType WeightType { get; init; } = GgmlType.F32;

    /// <summary>The RMS norm epsilon stored as <c>attention.layer_norm_rms_epsilon</c>. Default 1e-6.</summary>
    public float RmsEpsilon { get; init; } = 1e-6f;

    /// <summary>Extra metadata, e.g. a description of how the model was made.</summary>
    public IDictionary<string, string> ExtraMetadata { get; } = new Dictionary<string, string>();

    public GgufWriter Build(WeightSource weights)
    {
        if (Tokenizer.Count != Shape.VocabularySize)
        {
            throw new ArgumentException($"Vocabulary has {Tokenizer.Count} tokens, shape '{Shape.Name}' wants {Shape.VocabularySize}.");
        }
        var arch = Shape.Architecture;
        var writer = new GgufWriter()
            .Add("general.architecture", arch)
            .Add("general.name", Name)
            .Add("general.alignment", GgufWriter.DefaultAlignment)
            .Add($"{arch}.context_length", (uint)Shape.ContextLength)
            .Add($"{arch}.embedding_length", (uint)Shape.EmbeddingLength)
            .Add($"{arch}.block_count", (uint)Shape.BlockCount)
            .Add($"{arch}.feed_forward_length", (uint)Shape.FeedForwardLength)
            .Add($"{arch}.attention.head_count", (uint)Shape.HeadCount)
            .Add($"{arch}.attention.head_count_kv", (uint)Shape.HeadCountKv)
            .Add($"{arch}.attention.layer_norm_rms_epsilon", RmsEpsilon)
            .Add($"{arch}.rope.freq_base", Shape.RopeFreqBase)
            .Add($"{arch}.vocab_size", (uint)Shape.VocabularySize)
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", Tokenizer.Tokens)
            .Add("tokenizer.ggml.scores", Tokenizer.Scores)
            .Add("tokenizer.ggml.token_type", Tokenizer.TokenTypes)
            .Add("tokenizer.ggml.bos_token_id", (uint)Tokenizer.BeginOfSequence)
            .Add("tokenizer.ggml.eos_token_id", (uint)Tokenizer.EndOfSequence)
            .Add("tokenizer.ggml.eot_token_id", (uint)Tokenizer.EndOfTurn)
            .Add("tokenizer.ggml.unknown_token_id", (uint)Tokenizer.Unknown)
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_eos_token", false)
            .Add("tokenizer.ggml.add_space_prefix", Tokenizer.AddSpacePrefix)
            .Add("tokenizer.chat_template", Tokenizer.ChatTemplate);
        foreach (var (key, value) in ExtraMetadata)
        {
            writer.Add(key, value);
        }

        ulong e = (ulong)Shape.EmbeddingLength, v = (ulong)Shape.VocabularySize, f = (ulong)Shape.FeedForwardLength;
        ulong q = (ulong)(Shape.HeadCount * Shape.HeadDimension), kv = (ulong)(Shape.HeadCountKv * Shape.HeadDimension);
        void Tensor(string name, GgmlType type, params ulong[] dims) => writer.AddTensor(name, dims, type, weights(name, dims));

        Tensor("token_embd.weight", WeightType, e, v);
        for (var layer = 0; layer < Shape.BlockCount; layer++)
        {
            var p = $"blk.{layer}.";
            Tensor(p + "attn_norm.weight", GgmlType.F32, e);
            Tensor(p + "attn_q.weight", WeightType, e, q);
            Tensor(p + "attn_k.weight", WeightType, e, kv);
            Tensor(p + "attn_v.weight", WeightType, e, kv);
            if (Shape.QkvBias)
            {
                Tensor(p + "attn_q.bias", GgmlType.F32, q);
                Tensor(p + "attn_k.bias", GgmlType.F32, kv);
                Tensor(p + "attn_v.bias", GgmlType.F32, kv);
            }
            Tensor(p + "attn_output.weight", WeightType, q, e);
            Tensor(p + "ffn_norm.weight", GgmlType.F32, e);
            Tensor(p + "ffn_gate.weight", WeightType, e, f);
            Tensor(p + "ffn_up.weight", WeightType, e, f);
            Tensor(p + "ffn_down.weight", WeightType, f, e);
        }
        Tensor("output_norm.weight", GgmlType.F32, e);
        if (!Shape.TiedEmbeddings)
        {
            Tensor("output.weight", WeightType, e, v);
        }
        return writer;
    }
}
