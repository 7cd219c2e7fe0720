using Engram.Contract.V1;
using Engram.DiscordFrontend.Hosting;
using Engram.DiscordFrontend.Limits;
using Engram.DiscordFrontend.Replies;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Handlers;

/// <summary>
/// Answers with the model, wherever the reply lives (a channel reply, a slash command's response): builds the
/// daemon request (system prompt, conversation, configured bounds), streams it into the reply at the
/// configured pace within the bot-wide per-channel budget, and logs how it went.
/// </summary>
public sealed class Answerer(BotOptions options, ReplyGeneration generation, TimeProvider time, ILogger<Answerer> log)
{
    // Sends and edits of every reply in a channel share one budget (Discord allows about 5 per 5 s per channel).
    private readonly SlidingWindowLimiter<ulong> _budget = new(options.Replies.ChannelBudget, TimeSpan.FromMilliseconds(options.Replies.ChannelBudgetWindowMs), time);

    public async Task AnswerAsync(IReplySurface surface, IEnumerable<ChatMessage> conversation, string requestId, CancellationToken cancellationToken)
    {
        var reply = new ReplyStreamer(surface, _budget, TimeSpan.FromMilliseconds(options.Replies.EditIntervalMs), time, cancellationToken);
        await generation.StreamAsync(Request(conversation, requestId), reply, cancellationToken);
        FrontendLog.Replied(log, requestId, reply.Text.Length, reply.MessageIds.Count, reply.Pushes);
    }

    private GenerateRequest Request(IEnumerable<ChatMessage> conversation, string requestId)
    {
        var daemon = options.Daemon;
        var request = new GenerateRequest { MaxNewTokens = daemon.MaxNewTokens, Model = daemon.Model, RequestId = requestId };
        if (daemon.SystemPrompt is { Length: > 0 } system)
        {
            request.Messages.Add(new ChatMessage { Role = "system", Content = system });
        }
        request.Messages.AddRange(conversation);
        if (daemon.Temperature is { } temperature)
        {
            request.Temperature = temperature;
        }
        return request;
    }
}
