using System.Text.RegularExpressions;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>What an operator sees: Prometheus figures that match the requests made, and logs without secrets or prompts.</summary>
public sealed class MetricsAndLogsTests : IDisposable
{
    private const string Secret = "do-not-log-this-token";
    private const string PrivatePrompt = "my private question about zebras";
    private readonly ModelArtifacts _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Metrics_MatchTheRequestsMadeAndLogsKeepSecretsAndPrompts()
    {
        var port = LoopbackPort.Free();
        await using var daemon = await DaemonProcess.StartAsync(["--model", _files.Good(), "--metrics", $"127.0.0.1:{port}"],
            new Dictionary<string, string> { ["Engram__auth_token_file"] = WriteSecret() });
        using var client = new Engram.DaemonClient.EngramDaemonClient(new() { Address = daemon.Address, BearerToken = Secret, MaxRetries = 0 });
        await client.WaitForDefaultModelAsync(TestTimeouts.Default);

        await RecordAsync(client, Prompt(PrivatePrompt, 5)).WithTimeout();
        await RecordAsync(client, Prompt("Another.", 7)).WithTimeout();
        await Assert.ThrowsAsync<RpcException>(() => RecordAsync(client, Prompt("", 3)));
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        Assert.Equal(2, Value(text, @"engram_requests_total\{model=""default"",outcome=""length"",status=""OK""\}"));
        Assert.Equal(1, Value(text, @"engram_requests_total\{model=""default"",outcome=""refused"",status=""InvalidArgument""\}"));
        Assert.Equal(12, Value(text, @"engram_generated_tokens_total\{model=""default""\}"));
        Assert.Equal(2, Value(text, @"engram_time_to_first_token_seconds_count\{model=""default""\}"));
        Assert.Equal(2, Value(text, @"engram_decode_tokens_per_second_count\{model=""default""\}"));
        Assert.Equal(1, Value(text, @"engram_model_state\{model=""default"",state=""ready""\}"));
        Assert.Equal(0, Value(text, @"engram_model_state\{model=""default"",state=""failed""\}"));
        Assert.Equal(0, Value(text, @"engram_queue_depth\{model=""default""\}"));
        Assert.Equal(0, Value(text, @"engram_pressure"));
        Assert.True(Value(text, @"engram_model_load_seconds\{model=""default""\}") > 0);

        var logs = daemon.OutputText;
        Assert.Contains("prompt_tokens=", logs); // one line per request
        Assert.DoesNotContain(Secret, logs);
        Assert.DoesNotContain("zebras", logs);
    }

    [Fact]
    public async Task LogPrompts_WhenEnabled_LogsThePromptAndTheOutput()
    {
        await using var daemon = await DaemonProcess.StartAsync(["--model", _files.Good(), "--Engram:log_prompts=true"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);

        var recording = await RecordAsync(daemon.Client, Prompt(PrivatePrompt, 4)).WithTimeout();

        // The output may span lines (it is whatever the model said); the log keeps it whole. The console logger writes
        // from its own queue, so the line may come just after the stream's end.
        var line = $"request {recording.Accepted.RequestId} prompt={PrivatePrompt} output={recording.Text}";
        await TestTimeouts.Eventually(() => Task.FromResult(daemon.OutputText.Contains(line, StringComparison.Ordinal)), "the prompt and output logged");
    }

    private string WriteSecret()
    {
        var path = _files.PathOf("token");
        File.WriteAllText(path, Secret + "\n");
        return path;
    }

    private static double Value(string metrics, string series)
    {
        var match = Regex.Match(metrics, "^" + series + @" ([0-9.eE+-]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no series {series} in:\n{metrics}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
