using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Commands;

/// <summary>The slash commands the bot registers (a bulk overwrite, so removed commands disappear too).</summary>
public static class SlashCommands
{
    public const string Ask = "ask";
    public const string Health = "health";

    public static IReadOnlyList<SlashCommand> All { get; } =
    [
        new(Ask, "Ask the model a question", [new SlashCommandOption(SlashCommandOption.String, "prompt", "Your question", Required: true, MaxLength: 2000)]),
        new(Health, "Show the inference engine's health"),
    ];
}
