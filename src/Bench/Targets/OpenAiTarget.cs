using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engram.Bench.Measurement;
using Engram.Bench.Profiles;

namespace Engram.Bench.Targets;

/// <summary>
/// Any OpenAI-compatible server (llama-server, engram-daemon's --openai door, Ollama's /v1) through streamed
/// <c>/v1/chat/completions</c> (or <c>/v1/completions</c> for a raw prompt). Rates are the server's own step
/// timings when its last chunk carries llama-server's <c>timings</c> object; otherwise decode is measured from
/// the first text chunk to the last. Prompt caching is asked off (<c>cache_prompt: false</c>, llama-server's
/// switch), so every run prefills its whole prompt.
/// </summary>
public sealed class OpenAiTarget : IBenchTarget
{
    private readonly HttpClient _http;
    private readonly string _address;
    private readonly string? _model;

    public OpenAiTarget(string name, string address, string? model, string? apiKey)
    {
        Name = name;
        _address = address.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal) ? address.TrimEnd('/') : address.TrimEnd('/') + "/v1";
        _model = model;
        _http = new HttpClient { BaseAddress = new Uri(_address + "/"), Timeout = TimeSpan.FromMinutes(30) };
        if (apiKey is { Length: > 0 })
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public string Name { get; }
    public string Description => $"openai {_address}{(_model is null ? "" : "#" + _model)}";

    public async Task<TargetInfo> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var models = await _http.GetFromJsonAsync<JsonObject>("models", cancellationToken);
            var first = models?["data"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>();
            return new TargetInfo(_model ?? first ?? "(server default)", "openai", 0, []);
        }
        catch (HttpRequestException ex)
        {
            throw new UserFacingException($"target {Name}: {_address}/models did not answer: {ex.Message}");
        }
    }

    public async Task<RunSample> RunAsync(BenchPrompt prompt, float temperature, int run, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["max_tokens"] = prompt.MaxNewTokens,
            ["temperature"] = temperature,
            ["cache_prompt"] = false,
        };
        if (_model is not null)
        {
            body["model"] = _model;
        }
        if (prompt.IsChat)
        {
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt.Text });
        }
        else
        {
            body["prompt"] = prompt.Text;
        }
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, prompt.IsChat ? "chat/completions" : "completions") { Content = JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new UserFacingException($"target {Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        double? firstText = null, lastText = null;
        var pieces = 0;
        var text = new System.Text.StringBuilder();
        JsonNode? usage = null, timings = null;
        string? error = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }
            var chunk = JsonNode.Parse(line["data: ".Length..]);
            if (chunk?["error"] is { } failure)
            {
                error = failure["message"]?.GetValue<string>() ?? failure.ToJsonString();
                break;
            }
            foreach (var choice in chunk?["choices"]?.AsArray() ?? [])
            {
                var piece = choice?["delta"]?["content"]?.GetValue<string>() ?? choice?["text"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(piece))
                {
                    firstText ??= clock.Elapsed.TotalMilliseconds;
                    lastText = clock.Elapsed.TotalMilliseconds;
                    pieces++;
                    text.Append(piece);
                }
            }
            usage = chunk?["usage"] is JsonObject u ? u : usage;
            timings = chunk?["timings"] is JsonObject t ? t : timings;
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        double Number(JsonNode? node, string field) => node?[field] is JsonValue v && v.TryGetValue<double>(out var d) ? d : 0;
        var generated = (int)(usage is null ? pieces : Number(usage, "completion_tokens"));
        var wallDecode = firstText is { } first && lastText is { } last && last > first && generated > 1 ? (generated - 1) / ((last - first) / 1000) : 0;
        return new RunSample
        {
            Target = Name,
            Prompt = prompt.Name,
            Run = run,
            TimeToFirstTokenMs = firstText ?? elapsed,
            PrefillTokensPerSecond = Number(timings, "prompt_per_second"),
            DecodeTokensPerSecond = timings is null ? wallDecode : Number(timings, "predicted_per_second"),
            EndToEndMs = elapsed,
            PromptTokens = (int)Number(usage, "prompt_tokens"),
            GeneratedTokens = generated,
            Text = text.ToString(),
            Error = error,
        };
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
