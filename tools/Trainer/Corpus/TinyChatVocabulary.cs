using Engram.ModelFiles.Synthetic;

namespace Engram.Trainer.Corpus;

/// <summary>
/// The built-in model's character-level vocabulary (356 tokens): control tokens, the 256 byte tokens, "▁"
/// for a space, and every printable ASCII character. No merges, so tokenization is exact and predictable.
/// </summary>
internal static class TinyChatVocabulary
{
    public const int ImEnd = 4;

    public static SpmTokenizer Create()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>" };
        var types = new List<int> { 2, 3, 3, 3, 3 };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(6);
        }
        tokens.Add("\u2581");
        types.Add(1);
        for (var c = 0x21; c < 0x7F; c++)
        {
            tokens.Add(((char)c).ToString());
            types.Add(1);
        }
        return new SpmTokenizer(tokens, new float[tokens.Count], types, BeginOfSequence: 1, EndOfSequence: ImEnd, EndOfTurn: ImEnd,
            Unknown: 0, AddSpacePrefix: false, SyntheticVocabulary.ChatMlTemplate);
    }
}
