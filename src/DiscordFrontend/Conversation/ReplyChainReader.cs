using Engram.Contract.V1;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Conversation;

/// <summary>
/// The conversation is the reply chain, stored in Discord itself: from the new message up through the
/// messages it replies to, bounded in messages and characters (the newest kept first). The bot's own
/// messages are the assistant's turns, without their status lines.
/// </summary>
public sealed class ReplyChainReader(IDiscordRest rest, int maxMessages, int maxCharacters)
{
    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(DiscordMessage trigger, string triggerText, BotIdentity bot, CancellationToken cancellationToken)
    {
        var turns = new List<ChatMessage>();
        var characters = 0;
        var current = trigger;
        while (current is not null && turns.Count < maxMessages)
        {
            var fromBot = current.Author.Id == bot.UserId;
            var text = ReferenceEquals(current, trigger) ? triggerText : fromBot ? WithoutStatusLines(current.Content) : MentionText.Strip(current.Content, bot.UserId);
            if (characters + text.Length > maxCharacters)
            {
                if (turns.Count > 0)
                {
                    break;
                }
                text = text[..maxCharacters]; // a single overlong message: its beginning
            }
            if (text.Length > 0)
            {
                AddInFront(turns, fromBot ? "assistant" : "user", text);
                characters += text.Length;
            }
            current = await ParentAsync(current, cancellationToken);
        }
        return turns;
    }

    private async Task<DiscordMessage?> ParentAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        if (message.ReferencedMessage is { } parent)
        {
            return parent;
        }
        return message.MessageReference is { MessageId: { } id } reference
            ? await rest.GetMessageAsync(reference.ChannelId ?? message.ChannelId, id, cancellationToken)
            : null;
    }

    // Consecutive parts of one speaker (a split reply, back-to-back messages) are one turn.
    private static void AddInFront(List<ChatMessage> turns, string role, string text)
    {
        if (turns.Count > 0 && turns[0].Role == role)
        {
            turns[0].Content = text + "\n" + turns[0].Content;
            return;
        }
        turns.Insert(0, new ChatMessage { Role = role, Content = text });
    }

    /// <summary>The bot's status and notes are subtext lines (<c>-# …</c>); they are not what the assistant said.</summary>
    public static string WithoutStatusLines(string content) =>
        string.Join('\n', content.Split('\n').Where(line => !line.StartsWith("-# ", StringComparison.Ordinal))).Trim();
}
