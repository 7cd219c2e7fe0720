using System.Text.RegularExpressions;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// The RKLLM runtime tokenizes the prompt itself and parses every special-token text in it, so callers'
/// content cannot be handed over as plain text the way llama.cpp allows. The best the daemon can do is
/// break the chat-template markers it knows (ChatML, Llama 3, Gemma, Phi, Llama 2 and Mistral) inside content
/// with a zero-width space, so they read the same but no longer match a special token. Markers of templates
/// not listed here are not recognised.
/// </summary>
internal static partial class RkllmPromptText
{
    private const string ZeroWidthSpace = "\u200B";

    /// <summary>The content with every known template marker broken after its first character.</summary>
    public static string Neutralise(string content) =>
        content.Contains('<') || content.Contains('[') ? Marker().Replace(content, m => m.Value[..1] + ZeroWidthSpace + m.Value[1..]) : content;

    [GeneratedRegex(@"<\|[^|<>\s]{1,40}\|>|</?s>|<(start|end)_of_turn>|\[/?INST\]|<</?SYS>>")]
    private static partial Regex Marker();
}
