namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>Who the bot is, from READY: its user (to recognise mentions and its own messages) and application (for commands).</summary>
public sealed record BotIdentity(ulong UserId, string Username, ulong ApplicationId);
