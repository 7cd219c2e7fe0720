namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>A message as MESSAGE_CREATE and the REST API give it; only the fields the bot reads.</summary>
public sealed record DiscordMessage
{
    public ulong Id { get; init; }
    public ulong ChannelId { get; init; }

    /// <summary>Absent in DMs.</summary>
    public ulong? GuildId { get; init; }

    public DiscordUser Author { get; init; } = new();
    public GuildMember? Member { get; init; }
    public string Content { get; init; } = "";
    public int Type { get; init; }
    public IReadOnlyList<DiscordUser> Mentions { get; init; } = [];
    public IReadOnlyList<ulong> MentionRoles { get; init; } = [];
    public MessageReference? MessageReference { get; init; }

    /// <summary>The replied-to message, sent for replies only (null when it was deleted).</summary>
    public DiscordMessage? ReferencedMessage { get; init; }

    public ulong? WebhookId { get; init; }

    public bool IsDirectMessage => GuildId is null;
}

public sealed record MessageReference
{
    public ulong? MessageId { get; init; }
    public ulong? ChannelId { get; init; }
    public ulong? GuildId { get; init; }

    /// <summary>False so a reply still posts when the user deleted the message it answers.</summary>
    public bool? FailIfNotExists { get; init; }
}
