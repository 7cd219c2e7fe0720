using Engram.ModelFiles.Gguf;
using Engram.ModelFiles.Synthetic;

namespace Engram.TestSupport;

/// <summary>
/// A real GGUF model whose greedy output is scripted: every layer's output projection is zero, so the
/// residual stream is just the last token's embedding, and one-hot embeddings plus a crafted output matrix
/// make the next token a fixed function of the current one. Any prompt starts the script at its first
/// token; each script token leads to the next; the last leads to <c>&lt;|im_end|&gt;</c> (end of turn) or
/// back to the start. llama.cpp runs it like any model, with the full compute of its shape.
/// </summary>
public static class ScriptedModel
{
    /// <summary>Logit given to the scripted next token (others get 0): certain under any sane temperature.</summary>
    private const float Certainty = 4f;

    public static SyntheticVocabulary Vocabulary { get; } = new(ModelShape.Tiny.VocabularySize);

    /// <summary>Writes a model that emits <paramref name="script"/> (token ids) then ends the turn, or loops.</summary>
    public static string Write(string path, IReadOnlyList<int> script, bool loop,
        int embedding = 64, int layers = 2, int feedForward = 128, int context = 2048)
    {
        if (script.Count == 0 || script.Count >= embedding || script.Distinct().Count() != script.Count)
        {
            throw new ArgumentException($"a script needs 1 to {embedding - 1} distinct tokens");
        }
        var shape = ModelShape.Tiny with
        {
            Name = "scripted",
            EmbeddingLength = embedding,
            BlockCount = layers,
            FeedForwardLength = feedForward,
            ContextLength = context,
        };
        // Class 0 holds every token outside the script; script token i has class i + 1.
        var classOf = new Dictionary<int, int>();
        for (var i = 0; i < script.Count; i++)
        {
            classOf[script[i]] = i + 1;
        }
        var nextOfClass = new int[script.Count + 1];
        nextOfClass[0] = script[0];
        for (var i = 0; i < script.Count; i++)
        {
            nextOfClass[i + 1] = i + 1 < script.Count ? script[i + 1] : loop ? script[0] : SyntheticVocabulary.ImEnd;
        }

        WeightSource weights = (name, _) => name switch
        {
            "token_embd.weight" => (row, values) => values[classOf.GetValueOrDefault((int)row)] = 1f,
            "output.weight" => (row, values) =>
            {
                for (var c = 0; c < nextOfClass.Length; c++)
                {
                    if (nextOfClass[c] == row)
                    {
                        values[c] = Certainty;
                    }
                }
            },
            _ when name.EndsWith("norm.weight", StringComparison.Ordinal) => static (_, values) => values.Fill(1f),
            _ => static (_, _) => { }, // zero: the layers add nothing to the residual stream
        };
        new SyntheticModelBuilder(shape, Vocabulary) { Name = "engram-scripted-test-model" }.Build(weights).WriteFile(path);
        return path;
    }

    /// <summary>The token ids of UTF-8 text as raw byte tokens (so a character spans several tokens).</summary>
    public static IReadOnlyList<int> ByteTokens(string text) =>
        System.Text.Encoding.UTF8.GetBytes(text).Select(b => SyntheticVocabulary.ByteToken(b)).ToArray();

    /// <summary>The token ids of whole pieces such as "▁Hello".</summary>
    public static IReadOnlyList<int> Pieces(params string[] pieces) => pieces.Select(Vocabulary.IdOf).ToArray();
}
