using System.Text;
using Engram.Inference.Engine;
using LLama;
using LLama.Native;

namespace Engram.Inference.Backends.Llama;

/// <summary>
/// Turns a request's input into one model's tokens: chat turns through the model's own chat template, whose
/// markers (<c>&lt;|im_start|&gt;</c> ...) become special tokens, while what callers wrote is always plain text,
/// so a user cannot forge a system turn by typing a template's markers. Also knows the vocabulary's longest
/// token, which bounds how many bytes a prompt that fits the context can have.
/// </summary>
internal sealed class LlamaPrompts
{
    // Private-use characters mark where each message's content goes in the rendered template.
    private const char MarkerStart = '\uE000', MarkerEnd = '\uE001';

    private readonly LLamaWeights _weights;
    private readonly string[] _specialTexts;

    public LlamaPrompts(LLamaWeights weights)
    {
        _weights = weights;
        HasChatTemplate = weights.Metadata.ContainsKey("tokenizer.chat_template");
        var vocab = weights.Vocab;
        var specials = new List<string>();
        var longest = 1;
        var buffer = new byte[256];
        for (var id = 0; id < vocab.Count; id++)
        {
            var token = (LLamaToken)id;
            longest = Math.Max(longest, (int)weights.NativeHandle.TokenToSpan(token, buffer, special: true));
            if ((token.GetAttributes(vocab) & (LLamaTokenAttr.Control | LLamaTokenAttr.UserDefined)) != 0
                && vocab.LLamaTokenToString(token, isSpecialToken: true) is { Length: > 0 } text)
            {
                specials.Add(text);
            }
        }
        _specialTexts = specials.Distinct().ToArray();
        LongestTokenBytes = longest;
    }

    /// <summary>The most bytes one token stands for.</summary>
    public int LongestTokenBytes { get; }

    /// <summary>Whether the GGUF carries a chat template (base models often do not).</summary>
    public bool HasChatTemplate { get; }

    public PreparedPrompt Prepare(PromptInput input)
    {
        // A raw prompt is the caller's own formatting, markers included; so is a prompt for a model without a
        // template (chat messages still get llama.cpp's default template, as llama-server does).
        if (!input.UsesTemplate || (!input.IsChat && !HasChatTemplate))
        {
            return new PreparedPrompt(input.Prompt, Tokenize(input.Prompt, _weights.Vocab.ShouldAddBOS, special: true));
        }
        var turns = input.Turns;
        var rendered = Render(turns);
        var text = Substitute(rendered, turns);
        if (!turns.Any(m => _specialTexts.Any(special => m.Content.Contains(special, StringComparison.Ordinal))))
        {
            // Nothing in the content could be read as a marker: the whole text tokenizes exactly as the model expects.
            return Templated(text, Tokenize(text, _weights.Vocab.ShouldAddBOS, special: true));
        }
        // Content that spells a marker: the template's text keeps its special tokens, the content is plain text.
        var tokens = new List<int>();
        var addBos = _weights.Vocab.ShouldAddBOS;
        var position = 0;
        while (position < rendered.Length)
        {
            var start = rendered.IndexOf(MarkerStart, position);
            var template = start < 0 ? rendered[position..] : rendered[position..start];
            if (template.Length > 0 || addBos)
            {
                tokens.AddRange(Tokenize(template, addBos, special: true));
                addBos = false;
            }
            if (start < 0)
            {
                break;
            }
            var end = rendered.IndexOf(MarkerEnd, start);
            var index = int.Parse(rendered.AsSpan(start + 1, end - start - 1));
            tokens.AddRange(Tokenize(turns[index].Content, addBos, special: false));
            addBos = false;
            position = end + 1;
        }
        return Templated(text, tokens.ToArray());
    }

    private string Render(IReadOnlyList<ChatTurn> messages)
    {
        var template = new LLamaTemplate(_weights) { AddAssistant = true };
        for (var i = 0; i < messages.Count; i++)
        {
            template.Add(messages[i].Role, $"{MarkerStart}{i}{MarkerEnd}");
        }
        return Encoding.UTF8.GetString(template.Apply());
    }

    private static string Substitute(string rendered, IReadOnlyList<ChatTurn> messages)
    {
        var text = new StringBuilder(rendered.Length + messages.Sum(m => m.Content.Length));
        var position = 0;
        while (rendered.IndexOf(MarkerStart, position) is var start and >= 0)
        {
            var end = rendered.IndexOf(MarkerEnd, start);
            text.Append(rendered, position, start - position).Append(messages[int.Parse(rendered.AsSpan(start + 1, end - start - 1))].Content);
            position = end + 1;
        }
        return text.Append(rendered, position, rendered.Length - position).ToString();
    }

    private int[] Tokenize(string text, bool addBos, bool special) =>
        text.Length == 0 && !addBos ? [] : _weights.Tokenize(text, addBos, special, Encoding.UTF8).Select(t => (int)t).ToArray();

    private static PreparedPrompt Templated(string text, int[] tokens) => new(text, tokens, ChatTemplateApplied: true);
}
