using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// A reply posted as Discord replies: the first answers the user's message, each continuation answers the
/// previous part (so the reply chain stays the conversation). Sent silently, with a nonce so a retried post
/// cannot appear twice, and never pinging anyone.
/// </summary>
public sealed class ChannelReplySurface(IDiscordRest rest, DiscordMessage trigger) : IReplySurface
{
    public ulong ChannelId => trigger.ChannelId;

    public async Task<ulong> PostAsync(int index, string content, ulong? previousMessageId, CancellationToken cancellationToken)
    {
        var message = await rest.CreateMessageAsync(trigger.ChannelId, new MessageDraft
        {
            Content = content,
            MessageReference = new MessageReference { MessageId = previousMessageId ?? trigger.Id, FailIfNotExists = false },
            Flags = MessageDraft.SuppressNotifications,
            Nonce = $"{trigger.Id % 10_000_000_000_000_000}-{index}",
            EnforceNonce = true,
        }, cancellationToken);
        return message.Id;
    }

    public Task EditAsync(int index, ulong messageId, string content, CancellationToken cancellationToken) =>
        rest.EditMessageAsync(trigger.ChannelId, messageId, new MessageDraft { Content = content }, cancellationToken);
}
