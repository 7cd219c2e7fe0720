namespace Engram.ModelFiles.Synthetic;

/// <summary>
/// A SentencePiece-style tokenizer as GGUF stores it (<c>tokenizer.ggml.model = llama</c>): pieces, scores,
/// token types and the special token ids, plus the chat template the model was made for.
/// </summary>
public sealed record SpmTokenizer(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<float> Scores,
    IReadOnlyList<int> TokenTypes,
    int BeginOfSequence,
    int EndOfSequence,
    int EndOfTurn,
    int Unknown,
    bool AddSpacePrefix,
    string ChatTemplate)
{
    public int Count => Tokens.Count;
}
