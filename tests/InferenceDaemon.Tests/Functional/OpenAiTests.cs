using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// The OpenAI-compatible door (<c>--openai HOST:PORT</c>), over plain HTTP as any tool speaks it: chat and text
/// completions, streamed and not, the models list, OpenAI's error objects and statuses, a client that disconnects,
/// and the listeners kept apart. The same engine as gRPC: the built-in model answers "4" to "What is 2+2?".
/// </summary>
public sealed class OpenAiTests(OpenAiTests.Fixture fixture) : IClassFixture<OpenAiTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("engram-openai-").FullName;
        public int Port { get; } = LoopbackPort.Free();
        public int MetricsPort { get; } = LoopbackPort.Free();
        public DaemonProcess Daemon { get; private set; } = null!;
        public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };
        public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

        public async Task InitializeAsync()
        {
            var story = ScriptedModel.Write(Path.Combine(_directory, "story.gguf"), ScriptedModel.Pieces(ScriptedDaemonFixture.StoryPieces),
                loop: true, embedding: 512, layers: 8, feedForward: 2048, context: 8192);
            Daemon = await DaemonProcess.StartAsync(
            [
                "--openai", $"127.0.0.1:{Port}", "--metrics", $"127.0.0.1:{MetricsPort}", "--default-model", "tiny",
                "--Engram:profiles:tiny:model=" + RepositoryLayout.BuiltInModel,
                "--Engram:profiles:tiny:temperature=0",
                "--Engram:profiles:tiny:max_context_len=512",
                "--Engram:profiles:story:model=" + story,
                "--Engram:profiles:story:temperature=0",
                "--Engram:profiles:story:max_context_len=8192",
                "--Engram:profiles:story:max_new_tokens=8000",
                "--Engram:profiles:story:queue_size=0",
                "--Engram:profiles:broken:model=/nonexistent/model.gguf",
            ]);
            await TestTimeouts.Eventually(async () => (await Daemon.Client.GetHealthAsync()).Models
                .All(m => m.State is Contract.V1.ModelState.Ready or Contract.V1.ModelState.Failed), "every profile loaded or failed");
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Daemon.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private Task<HttpResponseMessage> PostAsync(string path, object body) =>
        fixture.Http.PostAsync(fixture.BaseUrl + path, new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> BodyOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static object Question(string content = "What is 2+2?", bool stream = false) => new
    {
        messages = new[] { new { role = "user", content } },
        stream,
        stream_options = stream ? new { include_usage = true } : null,
    };

    /// <summary>The data lines of a server-sent event stream, in order, up to and including [DONE].</summary>
    private static async Task<List<string>> EventsOf(HttpResponseMessage response)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line["data: ".Length..]);
            }
        }
        return events;
    }

    [Fact]
    public async Task ChatCompletion_AnswersWithTheModelsTextAndItsUsage()
    {
        using var response = await PostAsync("/chat/completions", Question());
        var body = await BodyOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.StartsWith("chatcmpl-", (string?)body["id"]);
        Assert.Equal("tiny", (string?)body["model"]);
        var choice = body["choices"]![0]!;
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal("4", (string?)choice["message"]!["content"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        var usage = body["usage"]!;
        Assert.True((int)usage["prompt_tokens"]! > 10);
        Assert.Equal(1, (int)usage["completion_tokens"]!);
        Assert.Equal((int)usage["prompt_tokens"]! + 1, (int)usage["total_tokens"]!);
    }

    [Fact]
    public async Task StreamedChatCompletion_IsServerSentEvents_RoleFirst_ThenText_ThenTheFinishReason_UsageAndDone()
    {
        using var response = await PostAsync("/chat/completions", Question(stream: true));
        var events = await EventsOf(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Single(chunks.Select(c => (string?)c["id"]).Distinct());
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        var text = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => (string?)c!["delta"]!["content"]));
        Assert.Equal("4", text);
        Assert.Equal("stop", (string?)chunks[^2]["choices"]![0]!["finish_reason"]);
        Assert.Empty(chunks[^1]["choices"]!.AsArray()); // stream_options.include_usage: the usage chunk comes last
        Assert.Equal(1, (int)chunks[^1]["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task TextCompletion_ContinuesThePromptAsGiven_UpToMaxTokens()
    {
        using var response = await PostAsync("/completions", new { model = "story", prompt = "Once upon a time", max_tokens = 5 });
        var body = await BodyOf(response);

        Assert.Equal("text_completion", (string?)body["object"]);
        Assert.Equal(" Hello w1 the w2 is", (string?)body["choices"]![0]!["text"]);
        Assert.Equal("length", (string?)body["choices"]![0]!["finish_reason"]);
        Assert.Equal(5, (int)body["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task StopSequences_AndMaxCompletionTokens_AreHonoured()
    {
        using var stopped = await PostAsync("/chat/completions", new
        {
            model = "story", messages = new[] { new { role = "user", content = "Go." } }, stop = new[] { " w2" }, max_completion_tokens = 50,
        });
        using var cut = await PostAsync("/chat/completions", new { model = "story", messages = new[] { new { role = "user", content = "Go." } }, max_tokens = 3 });

        var stoppedChoice = (await BodyOf(stopped))["choices"]![0]!;
        var cutChoice = (await BodyOf(cut))["choices"]![0]!;
        Assert.Equal((" Hello w1 the", "stop"), ((string?)stoppedChoice["message"]!["content"], (string?)stoppedChoice["finish_reason"]));
        Assert.Equal((" Hello w1 the", "length"), ((string?)cutChoice["message"]!["content"], (string?)cutChoice["finish_reason"]));
    }

    [Fact]
    public async Task Models_ListsEveryProfileWithItsState()
    {
        var list = JsonNode.Parse(await fixture.Http.GetStringAsync(fixture.BaseUrl + "/models"))!;
        var one = JsonNode.Parse(await fixture.Http.GetStringAsync(fixture.BaseUrl + "/models/story"))!;
        using var missing = await fixture.Http.GetAsync(fixture.BaseUrl + "/models/nope");

        var models = list["data"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => m!);
        Assert.Equal("list", (string?)list["object"]);
        Assert.Equal(["broken", "story", "tiny"], models.Keys.Order());
        Assert.Equal("ready", (string?)models["tiny"]["engram"]!["state"]);
        Assert.True((bool)models["tiny"]["engram"]!["default"]!);
        Assert.Equal("failed", (string?)models["broken"]["engram"]!["state"]);
        Assert.Equal(("story", "model"), ((string?)one["id"], (string?)one["object"]));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"temperature":5}""", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stop":[1,2]}""", "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":3}""", "n")]
    [InlineData("""{"messages":[{"role":"wizard","content":"hi"}]}""", "messages")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages")]
    [InlineData("""{"messages":"hi"}""", "messages")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}""", null)]
    public async Task InvalidRequests_Are400WithOpenAisErrorObject_NamingTheParameter(string body, string? param)
    {
        using var response = await fixture.Http.PostAsync(fixture.BaseUrl + "/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = (await BodyOf(response))["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal(param, (string?)error["param"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    [Fact]
    public async Task UnknownParameters_AreIgnored_AsOpenAiCompatibleServersDo()
    {
        using var response = await PostAsync("/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "What is 2+2?" } }, user = "someone", presence_penalty = 0.5, logit_bias = new { },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4", (string?)(await BodyOf(response))["choices"]![0]!["message"]!["content"]);
    }

    [Fact]
    public async Task AnUnknownModel_Is404_AndAFailedModel503WithItsFailureClass()
    {
        using var unknown = await PostAsync("/chat/completions", new { model = "gpt-4o", messages = new[] { new { role = "user", content = "hi" } } });
        using var failed = await PostAsync("/chat/completions", new { model = "broken", messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("model_not_found", (string?)(await BodyOf(unknown))["error"]!["code"]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("model_failed:artifact/missing", (string?)(await BodyOf(failed))["error"]!["code"]);
    }

    [Fact]
    public async Task AFullQueue_Is429WithRetryAfter_AndADisconnectingClientFreesTheModelAtOnce()
    {
        // queue_size 0: one stream holds the story model.
        var holding = new HttpRequestMessage(HttpMethod.Post, fixture.BaseUrl + "/chat/completions")
        {
            Content = new StringContent("""{"model":"story","stream":true,"max_tokens":8000,"messages":[{"role":"user","content":"Tell me a story."}]}""",
                Encoding.UTF8, "application/json"),
        };
        using var leave = new CancellationTokenSource();
        // Its own connection, closed outright when it leaves (not drained for reuse as a pooled one would be).
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero });
        var stream = await client.SendAsync(holding, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(leave.Token));
        var received = 0;
        while (received < 5 && await reader.ReadLineAsync(leave.Token) is { } line)
        {
            received += line.StartsWith("data: ", StringComparison.Ordinal) ? 1 : 0;
        }

        using var refused = await PostAsync("/chat/completions", new { model = "story", messages = new[] { new { role = "user", content = "Me too." } } });
        var clock = Stopwatch.StartNew();
        await leave.CancelAsync(); // the client goes away mid-stream: its connection is closed
        stream.Dispose();
        client.Dispose();
        await TestTimeouts.Eventually(async () => !(await fixture.Daemon.Client.GetHealthAsync()).Models.Single(m => m.Name == "story").Generating,
            "the story model is free again", TimeSpan.FromSeconds(10));
        var freedAfter = clock.Elapsed;
        using var next = await PostAsync("/completions", new { model = "story", prompt = "Again", max_tokens = 2 });

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
        Assert.Equal("queue_full", (string?)(await BodyOf(refused))["error"]!["code"]);
        Assert.True(freedAfter < TimeSpan.FromSeconds(2), $"the model was freed {freedAfter} after the client left");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        await TestTimeouts.Eventually(() => Task.FromResult(fixture.Daemon.OutputText.Contains("model=story outcome=cancelled", StringComparison.Ordinal)),
            "the request log says the client left");
    }

    [Fact]
    public async Task TheListenersStayApart_NoV1OnGrpcOrMetrics_NoGrpcOrMetricsOnTheOpenAiPort()
    {
        using var metricsOnOpenAi = await fixture.Http.GetAsync($"http://127.0.0.1:{fixture.Port}/metrics");
        using var v1OnMetrics = await fixture.Http.GetAsync($"http://127.0.0.1:{fixture.MetricsPort}/v1/models");
        using var grpcPathOnOpenAi = await fixture.Http.PostAsync($"http://127.0.0.1:{fixture.Port}/engram.v1.Inference/GetHealth",
            new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } });

        Assert.Equal(HttpStatusCode.NotFound, metricsOnOpenAi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, v1OnMetrics.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, grpcPathOnOpenAi.StatusCode);
    }

    [Fact]
    public async Task BothDoors_ShareTheMetricsAndTheRequestLog()
    {
        using var response = await PostAsync("/chat/completions", Question());
        var id = ((string?)(await BodyOf(response))["id"])!["chatcmpl-".Length..];
        var metrics = await fixture.Http.GetStringAsync($"http://127.0.0.1:{fixture.MetricsPort}/metrics");

        Assert.Matches(@"engram_requests_total\{model=""tiny"",outcome=""stop"",status=""OK""\} [1-9]", metrics);
        await TestTimeouts.Eventually(() => Task.FromResult(fixture.Daemon.OutputText.Contains($"request {id} model=tiny outcome=stop", StringComparison.Ordinal)),
            "the request is in the log under the id the client got");
    }
}
