namespace Engram.ModelFiles.Synthetic;

/// <summary>The dimensions of a llama-family transformer, enough to write a GGUF llama.cpp accepts.</summary>
public sealed record ModelShape(
    string Name,
    string Architecture,
    int EmbeddingLength,
    int BlockCount,
    int HeadCount,
    int HeadCountKv,
    int FeedForwardLength,
    int VocabularySize,
    int ContextLength,
    float RopeFreqBase,
    bool TiedEmbeddings,
    bool QkvBias)
{
    /// <summary>A few hundred kilobytes: loads in milliseconds, for tests and the built-in default.</summary>
    public static ModelShape Tiny { get; } = new("tiny", "llama", 64, 2, 4, 4, 128, 512, 2048, 10000f, false, false);

    /// <summary>Qwen2.5-0.5B's published shape (494 M parameters).</summary>
    public static ModelShape Qwen25_05B { get; } = new("qwen2.5-0.5b", "qwen2", 896, 24, 14, 2, 4864, 151936, 32768, 1_000_000f, true, true);

    /// <summary>Qwen2.5-1.5B's published shape (1.54 B parameters).</summary>
    public static ModelShape Qwen25_15B { get; } = new("qwen2.5-1.5b", "qwen2", 1536, 28, 12, 2, 8960, 151936, 32768, 1_000_000f, true, true);

    public static IReadOnlyList<ModelShape> Known { get; } = [Tiny, Qwen25_05B, Qwen25_15B];

    public static ModelShape? Find(string name) =>
        Known.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public int HeadDimension => EmbeddingLength / HeadCount;
}
