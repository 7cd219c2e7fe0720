using System.Text;

namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// Reasoning models write <c>&lt;think&gt;…&lt;/think&gt;</c> before the answer. The chat shows the answer:
/// finished reasoning folds into a one-line note, reasoning in progress into "thinking…", and a tag still
/// arriving is held back so it never flashes on screen.
/// </summary>
public static class ThinkFolding
{
    private const string Open = "<think>";
    private const string Close = "</think>";

    public static string Fold(string text, bool complete)
    {
        if (!text.Contains('<'))
        {
            return text;
        }
        var visible = new StringBuilder();
        var thoughtWords = 0;
        var thinking = false;
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf(Open, position, StringComparison.Ordinal);
            if (open < 0)
            {
                visible.Append(text, position, text.Length - position);
                break;
            }
            visible.Append(text, position, open - position);
            var close = text.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            var end = close < 0 ? text.Length : close;
            thoughtWords += text.AsSpan(open + Open.Length, end - open - Open.Length).ToString()
                .Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
            if (close < 0)
            {
                thinking = !complete;
                break;
            }
            position = close + Close.Length;
        }
        if (!complete)
        {
            HoldBackPartialTag(visible);
        }
        var answer = visible.ToString().TrimStart('\n', ' ');
        if (thinking)
        {
            return "-# 💭 thinking…" + (answer.Length > 0 ? "\n" + answer : "");
        }
        return thoughtWords > 0 ? $"-# 💭 thought it over ({thoughtWords} words, folded)\n{answer}" : answer;
    }

    private static void HoldBackPartialTag(StringBuilder visible)
    {
        for (var length = Math.Min(Open.Length - 1, visible.Length); length > 0; length--)
        {
            if (visible.ToString(visible.Length - length, length) == Open[..length])
            {
                visible.Length -= length;
                return;
            }
        }
    }
}
