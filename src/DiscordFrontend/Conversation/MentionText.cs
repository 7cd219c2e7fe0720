using System.Text.RegularExpressions;

namespace Engram.DiscordFrontend.Conversation;

/// <summary>A user's words without the mention that summoned the bot (<c>&lt;@ID&gt;</c> or the older <c>&lt;@!ID&gt;</c>).</summary>
public static partial class MentionText
{
    public static string Strip(string content, ulong botUserId) =>
        MentionPattern().Replace(content, match => match.Groups[1].Value == botUserId.ToString() ? "" : match.Value).Trim();

    public static bool Mentions(string content, ulong botUserId) =>
        MentionPattern().Matches(content).Any(match => match.Groups[1].Value == botUserId.ToString());

    [GeneratedRegex(@"<@!?(\d+)>")]
    private static partial Regex MentionPattern();
}
