namespace Engram.DiscordFrontend.Discord.Model;

public sealed record DiscordUser
{
    public ulong Id { get; init; }
    public string Username { get; init; } = "";
    public string? GlobalName { get; init; }
    public bool? Bot { get; init; }

    public bool IsBot => Bot == true;
}

/// <summary>The guild-specific part of a user (present in guild messages and interactions).</summary>
public sealed record GuildMember
{
    public DiscordUser? User { get; init; }
    public IReadOnlyList<ulong> Roles { get; init; } = [];
}
