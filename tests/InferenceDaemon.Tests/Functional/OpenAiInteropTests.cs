using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Engram.TestSupport;
using OpenAI;
using OpenAI.Chat;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// The official clients on the OpenAI door: the OpenAI .NET SDK and the npm openai package from Node, streaming and
/// not, with the statuses their users handle (401, 400, 404, 429). The daemon asks for a bearer token here.
/// </summary>
public sealed class OpenAiInteropTests : IAsyncLifetime
{
    private const string Token = "interop-token";
    private readonly string _directory = Directory.CreateTempSubdirectory("engram-openai-interop-").FullName;
    private readonly int _port = LoopbackPort.Free();
    private DaemonProcess _daemon = null!;

    private string BaseUrl => $"http://127.0.0.1:{_port}/v1";

    public async Task InitializeAsync()
    {
        var story = ScriptedModel.Write(Path.Combine(_directory, "story.gguf"), ScriptedModel.Pieces(ScriptedDaemonFixture.StoryPieces),
            loop: true, embedding: 512, layers: 8, feedForward: 2048, context: 8192);
        _daemon = await DaemonProcess.StartAsync(
        [
            "--openai", $"127.0.0.1:{_port}", "--default-model", "tiny",
            "--Engram:profiles:tiny:model=" + RepositoryLayout.BuiltInModel, "--Engram:profiles:tiny:temperature=0",
            "--Engram:profiles:tiny:max_context_len=512",
            "--Engram:profiles:story:model=" + story, "--Engram:profiles:story:temperature=0", "--Engram:profiles:story:queue_size=0",
            "--Engram:profiles:story:max_context_len=8192", "--Engram:profiles:story:max_new_tokens=8000",
        ], new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        await TestTimeouts.Eventually(async () =>
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
            var models = await http.GetStringAsync(BaseUrl + "/models");
            return models.Split("\"ready\"").Length == 3;
        }, "both models ready");
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private ChatClient Sdk(string model, string key = Token) => new(model, new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(BaseUrl),
        RetryPolicy = new ClientRetryPolicy(0), // each status as the daemon gives it
    });

    private static readonly UserChatMessage Question = new("What is 2+2?");

    [Fact]
    public async Task DotNetSdk_CompletesAChat()
    {
        ChatCompletion completion = await Sdk("tiny").CompleteChatAsync([Question]);

        Assert.Equal("4", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("tiny", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 10);
        Assert.Equal(1, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task DotNetSdk_StreamsAChat_WithUsage()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Sdk("tiny").CompleteChatStreamingAsync([Question], new ChatCompletionOptions { MaxOutputTokenCount = 16 }))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(c => c.Text)));
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.Equal("4", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(1, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task DotNetSdk_SeesTheStatusesItsUsersHandle()
    {
        async Task<int> StatusOf(Func<Task> call) => (await Assert.ThrowsAsync<ClientResultException>(call)).Status;

        var unauthorized = await StatusOf(() => Sdk("tiny", key: "wrong").CompleteChatAsync([Question]));
        var badRequest = await StatusOf(() => Sdk("tiny").CompleteChatAsync([Question], new ChatCompletionOptions { Temperature = 5 }));
        var notFound = await StatusOf(() => Sdk("gpt-4o").CompleteChatAsync([Question]));
        await using var holding = await HoldTheStoryModelAsync();
        var tooMany = await StatusOf(() => Sdk("story").CompleteChatAsync([Question]));

        Assert.Equal((401, 400, 404, 429), (unauthorized, badRequest, notFound, tooMany));
    }

    [Fact]
    public async Task NodeSdk_CompletesAndStreams()
    {
        var chat = await NodeClients.RunAsync("openai-client.js", BaseUrl, Token, "chat");
        var stream = await NodeClients.RunAsync("openai-client.js", BaseUrl, Token, "stream");
        var models = await NodeClients.RunAsync("openai-client.js", BaseUrl, Token, "models");

        Assert.Equal(("4", "stop"), (chat.GetProperty("text").GetString(), chat.GetProperty("finish").GetString()));
        Assert.StartsWith("chatcmpl-", chat.GetProperty("id").GetString());
        Assert.Equal(1, chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(("4", "stop"), (stream.GetProperty("text").GetString(), stream.GetProperty("finish").GetString()));
        Assert.Equal(1, stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(["story", "tiny"], models.GetProperty("ids").EnumerateArray().Select(i => i.GetString()).Order());
    }

    [Fact]
    public async Task NodeSdk_SeesTheStatusesItsUsersHandle()
    {
        var unauthorized = await NodeClients.RunAsync("openai-client.js", BaseUrl, "wrong", "error", "tiny");
        var badRequest = await NodeClients.RunAsync("openai-client.js", BaseUrl, Token, "error", "bad-temperature");
        var notFound = await NodeClients.RunAsync("openai-client.js", BaseUrl, Token, "error", "gpt-4o");
        await using var holding = await HoldTheStoryModelAsync();
        var tooMany = await NodeClients.RunAsync("openai-client.js", BaseUrl, Token, "error", "story");

        Assert.Equal(401, unauthorized.GetProperty("status").GetInt32());
        Assert.Equal((400, "temperature"), (badRequest.GetProperty("status").GetInt32(), badRequest.GetProperty("param").GetString()));
        Assert.Equal((404, "model_not_found"), (notFound.GetProperty("status").GetInt32(), notFound.GetProperty("code").GetString()));
        Assert.Equal((429, "queue_full"), (tooMany.GetProperty("status").GetInt32(), tooMany.GetProperty("code").GetString()));
    }

    /// <summary>A streaming request that keeps the story model (queue_size 0) busy until disposed.</summary>
    private async Task<IAsyncDisposable> HoldTheStoryModelAsync()
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 });
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/chat/completions")
        {
            Content = new StringContent("""{"model":"story","stream":true,"max_tokens":8000,"messages":[{"role":"user","content":"Go on."}]}""",
                Encoding.UTF8, "application/json"),
        }, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && !line.Contains("\"content\":\" Hello\"", StringComparison.Ordinal))
        {
        }
        return new Holding(http, response, reader);
    }

    private sealed class Holding(HttpClient http, HttpResponseMessage response, StreamReader reader) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            response.Dispose();
            http.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
