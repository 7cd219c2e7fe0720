namespace Engram.DiscordFrontend.Routing;

public enum Route
{
    /// <summary>Not for the bot: no answer, no reaction.</summary>
    Ignore,

    /// <summary>Addressed to the bot: answer with the model.</summary>
    Answer,

    /// <summary>The rules cannot tell: ask the classifier.</summary>
    Classify,

    /// <summary>A bot command (<c>!health</c>, <c>!help</c>), answered without the model.</summary>
    Command,
}

/// <summary>What to do with a message, and why (for logs).</summary>
public sealed record RouteDecision(Route Route, string Reason, string Text = "", string? Command = null)
{
    public static RouteDecision Ignore(string reason) => new(Route.Ignore, reason);
}
