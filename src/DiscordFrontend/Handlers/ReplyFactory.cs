using Engram.DiscordFrontend.Hosting;
using Engram.DiscordFrontend.Replies;

namespace Engram.DiscordFrontend.Handlers;

/// <summary>Starts reply streams with the configured pacing and the bot-wide per-channel budget.</summary>
public sealed class ReplyFactory(BotOptions options, TimeProvider time)
{
    private readonly ChannelEditBudget _budget = new(options.Replies.ChannelBudget, TimeSpan.FromMilliseconds(options.Replies.ChannelBudgetWindowMs), time);

    public ReplyStreamer Start(IReplySurface surface, CancellationToken cancellationToken) =>
        new(surface, _budget, TimeSpan.FromMilliseconds(options.Replies.EditIntervalMs), time, cancellationToken);
}
