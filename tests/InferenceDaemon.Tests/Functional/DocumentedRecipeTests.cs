using System.Text.Json;
using System.Text.RegularExpressions;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// Every Generate recipe an operator can copy (README.md, docs/operations.md, <c>engram-daemon --help</c>) answers
/// sensibly from the built-in model, run as grpcurl runs it: a non-.NET client that knows only reflection.
/// </summary>
public sealed partial class DocumentedRecipeTests : IAsyncLifetime
{
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _daemon = await DaemonProcess.StartAsync([]);
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

    [GeneratedRegex(@"grpcurl[^\n]*?-d '(?<body>\{[^']*\})'[^\n]*?engram\.v1\.Inference/Generate")]
    private static partial Regex GenerateRecipe();
}
