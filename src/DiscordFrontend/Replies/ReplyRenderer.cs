using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Replies;

/// <summary>Turns a reply's text and status into the contents of its messages, each within Discord's 2000 characters.</summary>
public static class ReplyRenderer
{
    /// <summary>Kept free in every message for the status line, so adding or dropping it never moves a split.</summary>
    public const int StatusReserve = 160;

    public static IReadOnlyList<string> Render(string text, ReplyStatus? status, bool complete)
    {
        var body = ThinkFolding.Fold(text, complete);
        var chunks = MessageSplitter.Split(body, MessageDraft.MaxContentLength - StatusReserve).ToList();
        if (status is not null)
        {
            var line = "-# " + status.Line[..Math.Min(status.Line.Length, StatusReserve - 4)];
            chunks[^1] = chunks[^1].Length == 0 ? line : chunks[^1] + "\n" + line;
        }
        if (chunks[^1].Length == 0)
        {
            chunks[^1] = "-# (no text)"; // Discord refuses empty messages
        }
        return chunks;
    }
}
