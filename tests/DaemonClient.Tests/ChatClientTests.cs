using Engram.DaemonClient.ChatClient;
using Engram.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Engram.DaemonClient.Tests;

/// <summary>
/// <see cref="IChatClient"/> over the gRPC contract, against a real daemon with the built-in model (greedy: it
/// answers "4" to "What is 2+2?"): responses, streamed updates, usage, finish reasons and options.
/// </summary>
public sealed class ChatClientTests : IAsyncLifetime
{
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _daemon = await DaemonProcess.StartAsync([]);
        await _daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private IChatClient Registered()
    {
        // The one registration an IChatClient application changes to use a board.
        var services = new ServiceCollection().AddEngramChatClient(new DaemonClientOptions { Address = _daemon.Address });
        return services.BuildServiceProvider().GetRequiredService<IChatClient>();
    }

    [Fact]
    public async Task AResponse_CarriesTheAnswerItsFinishReasonAndUsage()
    {
        using var client = Registered();

        var response = await client.GetResponseAsync("What is 2+2?");

        Assert.Equal("4", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("builtin", response.ModelId);
        Assert.False(string.IsNullOrEmpty(response.ResponseId));
        Assert.Equal(1, response.Usage!.OutputTokenCount);
        Assert.True(response.Usage.InputTokenCount > 10);
        Assert.Equal(response.Usage.InputTokenCount + 1, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamedUpdates_AreTheDaemonsTokens_ThenTheFinishReasonAndUsage()
    {
        using var client = Registered();
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, "What is 2+2?")]))
        {
            updates.Add(update);
        }

        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.Equal("4", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Single(updates[^1].Contents.OfType<UsageContent>());
    }

    [Fact]
    public async Task Options_ReachTheDaemon_AMaxOutputTokensCutIsALengthFinish()
    {
        using var client = Registered();

        var response = await client.GetResponseAsync("Tell me a story about a cat.", new ChatOptions { MaxOutputTokens = 3, Temperature = 0, ModelId = "builtin" });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(3, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task AnUnknownModel_IsTheDaemonsRefusal_NotAnEmptyAnswer()
    {
        using var client = Registered();

        var refusal = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4o" }));

        Assert.Equal(Grpc.Core.StatusCode.NotFound, refusal.StatusCode);
    }

    [Fact]
    public void TheClient_DescribesItselfAndItsDaemonClient()
    {
        using var client = Registered();

        Assert.Equal("engram", client.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.NotNull(client.GetService<EngramDaemonClient>());
    }
}
