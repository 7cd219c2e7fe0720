using Engram.Contract.V1;
using Engram.DiscordFrontend.Hosting;

namespace Engram.DiscordFrontend.Handlers;

/// <summary>Builds the daemon request for an answer: the system prompt, the conversation, and the configured bounds.</summary>
public sealed class AnswerRequests(BotOptions options)
{
    public GenerateRequest Create(IEnumerable<ChatMessage> conversation, string requestId)
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
