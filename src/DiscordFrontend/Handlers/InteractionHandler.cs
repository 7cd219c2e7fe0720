using Engram.Contract.V1;
using Engram.DiscordFrontend.Commands;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Replies;
using Engram.DiscordFrontend.Routing;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Handlers;

/// <summary>
/// Slash commands. Each is acknowledged at once (deferred, type 5: Discord allows 3 seconds), then the
/// original response is edited as the answer streams; parts past the first are follow-ups.
/// </summary>
public sealed class InteractionHandler(
    IDiscordRest rest,
    RequestRateLimiter rateLimiter,
    Answerer answerer,
    HealthQuery health,
    ILogger<InteractionHandler> log)
{
    public async Task HandleAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        if (interaction.Type != DiscordInteraction.ApplicationCommand || interaction.Data is null)
        {
            return;
        }
        switch (interaction.Data.Name)
        {
            case SlashCommands.Ask:
                await rest.RespondToInteractionAsync(interaction.Id, interaction.Token, InteractionResponse.Deferred, cancellationToken);
                await AskAsync(interaction, cancellationToken);
                break;
            case SlashCommands.Health:
                await rest.RespondToInteractionAsync(interaction.Id, interaction.Token, InteractionResponse.Deferred, cancellationToken);
                await EditOriginalAsync(interaction, await health.DescribeAsync(cancellationToken), cancellationToken);
                break;
            default:
                await rest.RespondToInteractionAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionResponse.ChannelMessageWithSource,
                    new MessageDraft { Content = $"I don't know /{interaction.Data.Name}.", Flags = MessageDraft.Ephemeral }), cancellationToken);
                break;
        }
    }

    private async Task AskAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        var prompt = interaction.StringOption("prompt")?.Trim() ?? "";
        if (prompt.Length == 0)
        {
            await EditOriginalAsync(interaction, "Please give a prompt: `/ask prompt: your question`.", cancellationToken);
            return;
        }
        var rate = rateLimiter.TryAcquire(interaction.Invoker.Id, interaction.ChannelId ?? 0);
        if (!rate.Allowed)
        {
            FrontendLog.RateLimited(log, rate.Scope, interaction.Invoker.Id, interaction.ChannelId ?? 0, rate.RetryAfter);
            await EditOriginalAsync(interaction, MessageHandler.RateLimitText(rate), cancellationToken);
            return;
        }
        await answerer.AnswerAsync(new InteractionReplySurface(rest, interaction), [new ChatMessage { Role = "user", Content = prompt }],
            $"discord-{interaction.Id}", cancellationToken);
    }

    private Task EditOriginalAsync(DiscordInteraction interaction, string content, CancellationToken cancellationToken) =>
        rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new MessageDraft { Content = content }, cancellationToken);
}
