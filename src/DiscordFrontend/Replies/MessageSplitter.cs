namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// Splits text into messages of at most <c>limit</c> characters at the most natural boundary in reach
/// (paragraph, line, sentence, word), never inside a surrogate pair, and keeps code blocks intact: a fence
/// open at a cut is closed there and reopened (with its language) in the next message. Boundaries depend
/// only on the text before them, so a growing text keeps its earlier cuts.
/// </summary>
public static class MessageSplitter
{
    private const string Fence = "```";
    private const string FenceClose = "\n```";

    public static IReadOnlyList<string> Split(string text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 64);
        var chunks = new List<string>();
        var rest = text.AsSpan();
        string? openFence = null;
        while (true)
        {
            var prefix = openFence is null ? "" : openFence + "\n";
            if (prefix.Length + rest.Length <= limit)
            {
                if (rest.Length > 0 || chunks.Count == 0)
                {
                    chunks.Add(prefix + rest.ToString());
                }
                return chunks;
            }
            // Room for a closing fence in case the cut lands inside a code block.
            var window = limit - prefix.Length - FenceClose.Length;
            var cut = FindCut(rest[..window]);
            var piece = rest[..cut].TrimEnd();
            var fenceAtEnd = FenceStateAfter(openFence, piece);
            chunks.Add(prefix + piece.ToString() + (fenceAtEnd is null ? "" : FenceClose));
            openFence = fenceAtEnd;
            rest = rest[cut..].TrimStart("\n ");
        }
    }

    /// <summary>Where to end a chunk inside <paramref name="window"/>: just after the best boundary found in its second half.</summary>
    private static int FindCut(ReadOnlySpan<char> window)
    {
        var floor = window.Length / 2;
        foreach (var boundary in (ReadOnlySpan<string>)["\n\n", "\n", ". ", "! ", "? ", " "])
        {
            var at = window.LastIndexOf(boundary);
            if (at >= floor)
            {
                return at + boundary.Length;
            }
        }
        var cut = window.Length;
        return char.IsHighSurrogate(window[cut - 1]) ? cut - 1 : cut;
    }

    /// <summary>The fence line (e.g. <c>```python</c>) still open after <paramref name="piece"/>, or null.</summary>
    private static string? FenceStateAfter(string? open, ReadOnlySpan<char> piece)
    {
        foreach (var range in piece.Split('\n'))
        {
            var line = piece[range].Trim();
            if (line.StartsWith(Fence))
            {
                open = open is null ? line.ToString() : null;
            }
        }
        return open;
    }
}
