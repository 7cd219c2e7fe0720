namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>A CHAT_INPUT application command as registered with Discord.</summary>
public sealed record SlashCommand(string Name, string Description, IReadOnlyList<SlashCommandOption>? Options = null)
{
    public int Type { get; init; } = 1;
}

public sealed record SlashCommandOption(int Type, string Name, string Description, bool Required = false, int? MaxLength = null)
{
    public const int String = 3;
}
