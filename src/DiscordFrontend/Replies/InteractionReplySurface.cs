using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// A slash command's reply: the deferred original response is the first message, follow-ups carry the rest.
/// The interaction must already be acknowledged (type 5) before the first edit.
/// </summary>
public sealed class InteractionReplySurface(IDiscordRest rest, DiscordInteraction interaction) : IReplySurface
{
    public ulong ChannelId => interaction.ChannelId ?? 0;

    public async Task<ulong> PostAsync(int index, string content, ulong? previousMessageId, CancellationToken cancellationToken)
    {
        var draft = new MessageDraft { Content = content };
        var message = index == 0
            ? await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, draft, cancellationToken)
            : await rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token, draft, cancellationToken);
        return message.Id;
    }

    public Task EditAsync(int index, ulong messageId, string content, CancellationToken cancellationToken) => index == 0
        ? rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new MessageDraft { Content = content }, cancellationToken)
        : rest.EditFollowupAsync(interaction.ApplicationId, interaction.Token, messageId, new MessageDraft { Content = content }, cancellationToken);
}
