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
            chunks[^1] = WithStatus(chunks[^1], status);
        }
        if (chunks[^1].Length == 0)
        {
            chunks[^1] = "-# (no text)"; // Discord refuses empty messages
        }
        return chunks;
    }

    /// <summary>A message's text with the status line under it (there is always room: see <see cref="StatusReserve"/>).</summary>
    public static string WithStatus(string chunk, ReplyStatus status)
    {
        var line = "-# " + status.Line[..Math.Min(status.Line.Length, StatusReserve - 4)];
        return chunk.Length == 0 ? line : chunk + "\n" + line;
    }
}
