using System.Text.Json;
using System.Text.RegularExpressions;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// Every Generate recipe an operator can copy (README.md, docs/operations.md, <c>engram-daemon --help</c>) answers
/// sensibly from the built-in model, run as grpcurl runs it: a non-.NET client that knows only reflection. Every
/// curl recipe of the OpenAI-compatible door (documented on 127.0.0.1:8080) answers too.
/// </summary>
public sealed partial class DocumentedRecipeTests : IAsyncLifetime
{
    private readonly int _openAiPort = LoopbackPort.Free();
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _daemon = await DaemonProcess.StartAsync(["--openai", $"127.0.0.1:{_openAiPort}"]);
        await _daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    public static TheoryData<string, string> Recipes()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { "README.md", Path.Combine("docs", "operations.md") })
        {
            // Shell line continuations joined, then every grpcurl call of Generate with its -d body.
            var text = File.ReadAllText(Path.Combine(RepositoryLayout.Root, file)).Replace("\\\n", " ");
            foreach (Match recipe in GenerateRecipe().Matches(text))
            {
                data.Add(file, recipe.Groups["body"].Value);
            }
        }
        return data;
    }

    [Fact]
    public void TheDocumentationHasGenerateRecipes()
    {
        Assert.True(Recipes().Count() >= 3);
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public async Task AGenerateRecipe_AnswersSensibly(string file, string body)
    {
        var result = await NodeClients.RunAsync("recipe.js", _daemon.Address.Replace("http://", ""), "engram.v1.Inference/Generate", body);

        AssertSensible(file, body, result);
    }

    [Fact]
    public async Task TheHelpTextsRecipe_AnswersSensibly()
    {
        var (_, help) = await DaemonProcess.RunToExitAsync(["--help"]);
        var body = GenerateRecipe().Match(help).Groups["body"].Value;

        var result = await NodeClients.RunAsync("recipe.js", _daemon.Address.Replace("http://", ""), "engram.v1.Inference/Generate", body);

        AssertSensible("--help", body, result);
    }

    private static void AssertSensible(string file, string body, JsonElement result)
    {
        var because = $"{file}: {body} gave {result}";
        Assert.True(result.GetProperty("status").GetProperty("code").GetString() == "OK", because);
        var events = result.GetProperty("events").EnumerateArray().ToArray();
        var text = string.Concat(events.Where(e => e.TryGetProperty("token", out _)).Select(e => e.GetProperty("token").GetProperty("text").GetString()));
        var finished = events[^1].GetProperty("finished");
        Assert.True(finished.GetProperty("reason").GetString() == "FINISH_REASON_STOP", because);
        Assert.False(string.IsNullOrWhiteSpace(text), because);
        if (body.Contains("2+2", StringComparison.Ordinal))
        {
            Assert.True(text == "4", because);
        }
        if (body.Contains("Hello", StringComparison.Ordinal))
        {
            Assert.True(text.Contains("Hello", StringComparison.Ordinal), because);
        }
    }

    public static TheoryData<string, string, string> CurlRecipes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in new[] { "README.md", Path.Combine("docs", "operations.md") })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryLayout.Root, file)).Replace("\\\n", " ");
            foreach (var line in text.Split('\n').Where(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal)))
            {
                if (CurlUrl().Match(line) is { Success: true } url)
                {
                    data.Add(file, url.Groups["path"].Value, CurlBody().Match(line) is { Success: true } body ? body.Groups["body"].Value : "");
                }
            }
        }
        return data;
    }

    [Fact]
    public void TheDocumentationHasOpenAiCurlRecipes()
    {
        Assert.True(CurlRecipes().Count() >= 3);
    }

    [Theory]
    [MemberData(nameof(CurlRecipes))]
    public async Task AnOpenAiCurlRecipe_AnswersSensibly(string file, string path, string body)
    {
        using var http = new HttpClient();
        var url = $"http://127.0.0.1:{_openAiPort}{path}";
        using var response = body.Length == 0
            ? await http.GetAsync(url)
            : await http.PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        var because = $"{file}: {path} {body} gave {(int)response.StatusCode} {text}";
        Assert.True(response.IsSuccessStatusCode, because);
        if (body.Contains("2+2", StringComparison.Ordinal))
        {
            var answer = body.Contains("\"stream\":true", StringComparison.Ordinal)
                ? string.Concat(text.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
                    .Select(l => JsonDocument.Parse(l[6..]).RootElement.GetProperty("choices"))
                    .SelectMany(c => c.EnumerateArray())
                    .Select(c => c.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : ""))
                : JsonDocument.Parse(text).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            Assert.True(answer == "4", because);
        }
    }

    [GeneratedRegex(@"grpcurl[^\n]*?-d '(?<body>\{[^']*\})'[^\n]*?engram\.v1\.Inference/Generate")]
    private static partial Regex GenerateRecipe();

    [GeneratedRegex(@"http://127\.0\.0\.1:8080(?<path>/v1/[\w/.-]+)")]
    private static partial Regex CurlUrl();

    [GeneratedRegex(@" -d '(?<body>\{[^']*\})'")]
    private static partial Regex CurlBody();
}
