using Engram.DiscordFrontend.Commands;
using Engram.DiscordFrontend.Conversation;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Hosting;
using Engram.DiscordFrontend.Replies;
using Engram.DiscordFrontend.Routing;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Handlers;

/// <summary>One new message: route it, and if it is for the bot, answer it (or refuse politely).</summary>
public sealed class MessageHandler(
    IDiscordRest rest,
    RoutingRules rules,
    MessageClassifier classifier,
    RequestRateLimiter rateLimiter,
    ReplyChainReader conversation,
    Answerer answerer,
    HealthQuery health,
    BotOptions options,
    ILogger<MessageHandler> log)
{
    public async Task HandleAsync(DiscordMessage message, BotIdentity bot, CancellationToken cancellationToken)
    {
        var decision = rules.Decide(message, bot);
        if (decision.Route == Route.Classify)
        {
            var label = await classifier.ClassifyAsync(decision.Text, cancellationToken);
            FrontendLog.Classified(log, message.Id, label);
            decision = options.Classifier.AnswerLabels.Contains(label, StringComparer.OrdinalIgnoreCase)
                ? decision with { Route = Route.Answer, Reason = $"classified {label}" }
                : RouteDecision.Ignore($"classified {label}");
        }
        FrontendLog.Routed(log, message.Id, message.ChannelId, decision.Route.ToString(), decision.Reason);
        switch (decision.Route)
        {
            case Route.Command:
                await ReplyOnceAsync(message, decision.Command == "health" ? await health.DescribeAsync(cancellationToken) : HelpText.Text, cancellationToken);
                break;
            case Route.Answer:
                await AnswerAsync(message, decision.Text, bot, cancellationToken);
                break;
        }
    }

    private async Task AnswerAsync(DiscordMessage message, string text, BotIdentity bot, CancellationToken cancellationToken)
    {
        var rate = rateLimiter.TryAcquire(message.Author.Id, message.ChannelId);
        if (!rate.Allowed)
        {
            FrontendLog.RateLimited(log, rate.Scope, message.Author.Id, message.ChannelId, rate.RetryAfter);
            if (rate.Notify)
            {
                await ReplyOnceAsync(message, RateLimitText(rate), cancellationToken);
            }
            return;
        }
        _ = TypingAsync(message.ChannelId, cancellationToken);
        var turns = await conversation.ReadAsync(message, text, bot, cancellationToken);
        await answerer.AnswerAsync(new ChannelReplySurface(rest, message), turns, $"discord-{message.Id}", cancellationToken);
    }

    public static string RateLimitText(RateDecision rate) =>
        $"You're sending requests faster than I can answer{(rate.Scope == "channel" ? " in this channel" : "")}; " +
        $"please try again in {Math.Max(1, (int)Math.Ceiling(rate.RetryAfter.TotalSeconds))} s.";

    private Task ReplyOnceAsync(DiscordMessage message, string content, CancellationToken cancellationToken) =>
        rest.CreateMessageAsync(message.ChannelId, new MessageDraft
        {
            Content = content,
            MessageReference = new MessageReference { MessageId = message.Id, FailIfNotExists = false },
        }, cancellationToken);

    // The indicator shows at once, before the conversation is read and the placeholder posted; best effort.
    private async Task TypingAsync(ulong channelId, CancellationToken cancellationToken)
    {
        try
        {
            await rest.TriggerTypingAsync(channelId, cancellationToken);
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException or OperationCanceledException)
        {
        }
    }
}
