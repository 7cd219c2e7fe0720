using System.Threading.Channels;
using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Discord;

/// <summary>
/// The bot's live connection to Discord: keeps one session up (heartbeats, resumes, re-identifies) and hands
/// the events the bot cares about to a reader. Shaped so a Discord library could stand behind it.
/// </summary>
public interface IDiscordGateway
{
    /// <summary>Events in the order Discord sent them; read by one consumer that must not block.</summary>
    ChannelReader<GatewayEvent> Events { get; }

    /// <summary>
    /// Connects and stays connected until <paramref name="cancellationToken"/> fires (then closes cleanly).
    /// Throws <see cref="DiscordFatalException"/> when Discord refuses the bot for good (bad token, bad intents).
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);
}

public abstract record GatewayEvent;

/// <summary>A session is live: a fresh one after Identify (<c>Resumed</c> false) or the old one after Resume.</summary>
public sealed record SessionReady(BotIdentity Bot, bool Resumed) : GatewayEvent;

public sealed record MessageCreated(DiscordMessage Message) : GatewayEvent;

public sealed record InteractionCreated(DiscordInteraction Interaction) : GatewayEvent;
