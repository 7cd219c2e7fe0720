namespace Engram.ModelFiles.Synthetic;

/// <summary>
/// A SentencePiece-style (<c>tokenizer.ggml.model = llama</c>) vocabulary: control tokens, the 256 byte
/// tokens (so any text can be tokenized and any byte can be generated), single characters, a few common
/// pieces, and numbered filler pieces up to the requested size.
/// </summary>
public sealed class SyntheticVocabulary
{
    public const int Unknown = 0;
    public const int BeginOfSequence = 1;
    public const int EndOfSequence = 2;
    public const int ImStart = 3;
    public const int ImEnd = 4;
    public const int FirstByteToken = 5;

    // llama.cpp token types.
    private const int Normal = 1, UnknownType = 2, Control = 3, ByteType = 6;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Tokens { get; }
    public IReadOnlyList<float> Scores { get; }
    public IReadOnlyList<int> TokenTypes { get; }

    /// <summary>The ChatML template; llama.cpp recognises it by its <c>&lt;|im_start|&gt;</c> markers.</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public SyntheticVocabulary(int size)
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>" };
        var types = new List<int> { UnknownType, Control, Control, Control, Control };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(ByteType);
        }
        var pieces = new List<string> { "\u2581" };
        for (var c = 0x21; c < 0x7F; c++)
        {
            pieces.Add(((char)c).ToString());
            pieces.Add("\u2581" + (char)c);
        }
        pieces.AddRange(["\u2581the", "\u2581is", "\u2581a", "\u2581and", "\u2581to", "\u2581of", "\u2581What", "\u2581Hello"]);
        foreach (var piece in pieces.Distinct())
        {
            tokens.Add(piece);
            types.Add(Normal);
        }
        if (size < tokens.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"A synthetic vocabulary needs at least {tokens.Count} tokens.");
        }
        for (var n = 0; tokens.Count < size; n++)
        {
            tokens.Add($"\u2581w{n}");
            types.Add(Normal);
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            _ids[tokens[i]] = i;
        }
        Tokens = tokens;
        TokenTypes = types;
        // Longer pieces score higher so the tokenizer prefers them; control and byte tokens score 0.
        Scores = tokens.Select((t, i) => types[i] == Normal ? -1000f + t.Length : 0f).ToArray();
    }

    public int Count => Tokens.Count;

    /// <summary>This vocabulary as GGUF tokenizer metadata (ChatML, end of turn = &lt;|im_end|&gt;).</summary>
    public SpmTokenizer Tokenizer => new(Tokens, Scores, TokenTypes, BeginOfSequence, ImEnd, ImEnd, Unknown, AddSpacePrefix: true, ChatMlTemplate);

    public int IdOf(string piece) =>
        _ids.TryGetValue(piece, out var id) ? id : throw new KeyNotFoundException($"'{piece}' is not in the synthetic vocabulary.");

    public static int ByteToken(byte value) => FirstByteToken + value;
}
