using Engram.Contract.V1;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using WireChatMessage = Engram.Contract.V1.ChatMessage;
using WireFinishReason = Engram.Contract.V1.FinishReason;

namespace Engram.DaemonClient.ChatClient;

/// <summary>Microsoft.Extensions.AI's messages and options in the engram.v1 request, and its finish reasons back.</summary>
internal static class ChatRequestMapping
{
    public static GenerateRequest ToRequest(IEnumerable<AiChatMessage> messages, ChatOptions? options)
    {
        var request = new GenerateRequest { Model = options?.ModelId ?? "" }; // empty: the daemon's default model
        foreach (var message in messages)
        {
            var unsupported = message.Contents.FirstOrDefault(c => c is not TextContent and not UsageContent);
            if (unsupported is not null)
            {
                throw new NotSupportedException($"engram-daemon takes text only; this message carries {unsupported.GetType().Name}");
            }
            request.Messages.Add(new WireChatMessage { Role = RoleOf(message.Role), Content = message.Text });
        }
        if (options is null)
        {
            return request;
        }
        if (options.MaxOutputTokens is { } max)
        {
            request.MaxNewTokens = max;
        }
        if (options.Temperature is { } temperature)
        {
            request.Temperature = temperature;
        }
        if (options.TopP is { } topP)
        {
            request.TopP = topP;
        }
        if (options.TopK is { } topK)
        {
            request.TopK = topK;
        }
        if (options.Seed is { } seed)
        {
            request.Seed = unchecked((ulong)seed);
        }
        if (options.StopSequences is { } stops)
        {
            request.Stop.AddRange(stops);
        }
        return request;
    }

    private static string RoleOf(ChatRole role) =>
        role == ChatRole.System ? "system" : role == ChatRole.Assistant ? "assistant" : role == ChatRole.User ? "user"
        : throw new NotSupportedException($"engram-daemon takes system, user and assistant messages, not {role}");

    public static ChatFinishReason? ToFinishReason(WireFinishReason reason) => reason switch
    {
        WireFinishReason.Stop => ChatFinishReason.Stop,
        WireFinishReason.Length or WireFinishReason.Deadline => ChatFinishReason.Length,
        _ => null,
    };
}
