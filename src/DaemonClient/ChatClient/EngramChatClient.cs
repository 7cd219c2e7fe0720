using System.Runtime.CompilerServices;
using Engram.Contract.V1;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using WireFinishReason = Engram.Contract.V1.FinishReason;

namespace Engram.DaemonClient.ChatClient;

/// <summary>
/// <see cref="IChatClient"/> over the engram.v1 contract: an application written against Microsoft.Extensions.AI
/// talks to a board by registering this client. Streams are the daemon's token deltas; the client library's
/// resilience (retries until a stream is accepted, breakers, several boards) applies unchanged underneath.
/// </summary>
public sealed class EngramChatClient : IChatClient
{
    private readonly EngramDaemonClient _client;
    private readonly bool _ownsClient;
    private readonly ChatClientMetadata _metadata;

    /// <param name="client">The daemon client to use; disposed with this one only if <paramref name="ownsClient"/>.</param>
    public EngramChatClient(EngramDaemonClient client, bool ownsClient = false)
    {
        _client = client;
        _ownsClient = ownsClient;
        _metadata = new ChatClientMetadata("engram", Uri.TryCreate(client.Options.AllAddresses[0], UriKind.Absolute, out var address) ? address : null);
    }

    public EngramChatClient(DaemonClientOptions options) : this(new EngramDaemonClient(options), ownsClient: true)
    {
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }
        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = ChatRequestMapping.ToRequest(messages, options);
        string? responseId = null, model = null;
        var created = DateTimeOffset.UtcNow;
        await foreach (var update in _client.GenerateAsync(request, cancellationToken))
        {
            switch (update)
            {
                case GenerationAccepted accepted:
                    // A request the daemon sent again (it stopped while this one was queued) starts over under its new id.
                    (responseId, model) = (accepted.Details.RequestId, accepted.Details.Model);
                    break;
                case GenerationText text:
                    yield return new ChatResponseUpdate(ChatRole.Assistant, text.Text)
                    {
                        ResponseId = responseId,
                        MessageId = responseId,
                        ModelId = model,
                        CreatedAt = created,
                    };
                    break;
                case GenerationCompleted completed:
                    var finished = completed.Details;
                    if (finished.Reason == WireFinishReason.Error)
                    {
                        throw new InvalidOperationException($"the daemon's generation failed: {finished.Error}");
                    }
                    var t = finished.Timings;
                    yield return new ChatResponseUpdate
                    {
                        Role = ChatRole.Assistant,
                        ResponseId = responseId,
                        MessageId = responseId,
                        ModelId = model,
                        CreatedAt = created,
                        FinishReason = ChatRequestMapping.ToFinishReason(finished.Reason),
                        Contents =
                        [
                            new UsageContent(new UsageDetails
                            {
                                InputTokenCount = t.PromptTokens,
                                OutputTokenCount = t.GeneratedTokens,
                                TotalTokenCount = t.PromptTokens + t.GeneratedTokens,
                                CachedInputTokenCount = t.CachedPromptTokens,
                            }),
                        ],
                    };
                    break;
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType == typeof(EngramDaemonClient) ? _client
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
