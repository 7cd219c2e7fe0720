using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engram.Bench.Measurement;
using Engram.Bench.Profiles;

namespace Engram.Bench.Targets;

/// <summary>
/// An Ollama server through its streaming HTTP API (<c>/api/chat</c>, <c>/api/generate</c>). Its final message's
/// own stats (nanoseconds) give the rates: eval_count/eval_duration for decode, prompt_eval_* for prefill, and
/// load_duration is reported apart, so a cold load is never counted as slow decoding.
/// </summary>
public sealed class OllamaTarget(string name, string address, string model) : IBenchTarget
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(30) };

    public string Name { get; } = name;
    public string Description => $"ollama {address}#{model}";

    public Task<TargetInfo> DescribeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new TargetInfo(model, "ollama", 0, []));

    public async Task<RunSample> RunAsync(BenchPrompt prompt, float temperature, int run, CancellationToken cancellationToken)
    {
        var options = new JsonObject { ["temperature"] = temperature, ["num_predict"] = prompt.MaxNewTokens };
        var (path, body) = prompt.IsChat
            ? ("api/chat", new JsonObject
            {
                ["model"] = model, ["stream"] = true, ["options"] = options,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt.Text }),
            })
            : ("api/generate", new JsonObject { ["model"] = model, ["stream"] = true, ["options"] = options, ["prompt"] = prompt.Text, ["raw"] = true });
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new UserFacingException($"target {Name}: ollama answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        double? firstText = null;
        var text = new System.Text.StringBuilder();
        JsonElement? final = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var piece = root.TryGetProperty("message", out var message) ? message.GetProperty("content").GetString()
                : root.TryGetProperty("response", out var response1) ? response1.GetString() : null;
            if (!string.IsNullOrEmpty(piece))
            {
                firstText ??= clock.Elapsed.TotalMilliseconds;
                text.Append(piece);
            }
            if (root.TryGetProperty("done", out var done) && done.GetBoolean())
            {
                final = root.Clone();
            }
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        long Stat(string field) => final is { } f && f.TryGetProperty(field, out var v) ? v.GetInt64() : 0;
        double Rate(long count, long nanoseconds) => nanoseconds > 0 ? count / (nanoseconds / 1e9) : 0;
        return new RunSample
        {
            Target = Name,
            Prompt = prompt.Name,
            Run = run,
            TimeToFirstTokenMs = firstText ?? elapsed,
            PrefillTokensPerSecond = Rate(Stat("prompt_eval_count"), Stat("prompt_eval_duration")),
            DecodeTokensPerSecond = Rate(Stat("eval_count"), Stat("eval_duration")),
            EndToEndMs = elapsed,
            PromptTokens = (int)Stat("prompt_eval_count"),
            GeneratedTokens = (int)Stat("eval_count"),
            LoadMs = Stat("load_duration") / 1e6,
            Text = text.ToString(),
            Error = final is null ? "ollama ended the stream without its final stats" : null,
        };
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
