using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Discord;

/// <summary>
/// The HTTP half of Discord the bot uses, rate limits handled inside. Throws <see cref="DiscordRestException"/>
/// for a refusal, <see cref="DiscordFatalException"/> when the token is rejected (401).
/// </summary>
public interface IDiscordRest
{
    Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken);

    Task<DiscordMessage> CreateMessageAsync(ulong channelId, MessageDraft draft, CancellationToken cancellationToken);

    Task<DiscordMessage> EditMessageAsync(ulong channelId, ulong messageId, MessageDraft draft, CancellationToken cancellationToken);

    /// <summary>The message, or null when it no longer exists or cannot be read.</summary>
    Task<DiscordMessage?> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken);

    Task TriggerTypingAsync(ulong channelId, CancellationToken cancellationToken);

    /// <summary>Replaces the bot's commands, in one guild (instant) or globally (guildId null).</summary>
    Task RegisterCommandsAsync(ulong applicationId, ulong? guildId, IReadOnlyList<SlashCommand> commands, CancellationToken cancellationToken);

    Task RespondToInteractionAsync(ulong interactionId, string token, InteractionResponse response, CancellationToken cancellationToken);

    Task<DiscordMessage> EditOriginalResponseAsync(ulong applicationId, string token, MessageDraft draft, CancellationToken cancellationToken);

    Task<DiscordMessage> CreateFollowupAsync(ulong applicationId, string token, MessageDraft draft, CancellationToken cancellationToken);

    Task<DiscordMessage> EditFollowupAsync(ulong applicationId, string token, ulong messageId, MessageDraft draft, CancellationToken cancellationToken);
}
