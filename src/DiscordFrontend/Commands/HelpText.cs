namespace Engram.DiscordFrontend.Commands;

/// <summary>What the bot tells a user who mentions it without a question or asks for help.</summary>
public static class HelpText
{
    public const string Text =
        "I answer with a language model running on a local board.\n" +
        "• Mention me with a question, reply to one of my messages, or DM me; a reply chain is one conversation.\n" +
        "• `/ask prompt:` asks privately of any channel context; `/health` (or `!health`) shows the engine's state.";
}
