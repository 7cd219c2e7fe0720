using System.Net;
using System.Text;
using System.Text.Json;

namespace Engram.Bench.Tests;

/// <summary>
/// An Ollama stand-in on a loopback port: /api/chat and /api/generate stream NDJSON chunks of <see cref="Answer"/>,
/// then a final message with the stats Ollama reports (in nanoseconds), set by the test.
/// </summary>
public sealed class FakeOllamaServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeOllamaServer()
    {
        Port = Engram.TestSupport.LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string Answer { get; set; } = "The answer is 4.";
    public long LoadDurationNs { get; set; } = 1_500_000_000;
    public int PromptEvalCount { get; set; } = 20;
    public long PromptEvalDurationNs { get; set; } = 100_000_000;
    public int EvalCount { get; set; } = 50;
    public long EvalDurationNs { get; set; } = 2_000_000_000;
    public List<string> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            lock (Requests)
            {
                Requests.Add($"{context.Request.Url!.AbsolutePath} {body}");
            }
            var chat = context.Request.Url.AbsolutePath == "/api/chat";
            context.Response.ContentType = "application/x-ndjson";
            await using var output = new StreamWriter(context.Response.OutputStream, new UTF8Encoding(false));
            foreach (var word in Answer.Split(' '))
            {
                var piece = word + (word == Answer.Split(' ')[^1] ? "" : " ");
                object chunk = chat ? new { model = "m", message = new { role = "assistant", content = piece }, done = false } : new { model = "m", response = piece, done = false };
                await output.WriteLineAsync(JsonSerializer.Serialize(chunk));
                await output.FlushAsync();
                await Task.Delay(5);
            }
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                model = "m", done = true, total_duration = LoadDurationNs + PromptEvalDurationNs + EvalDurationNs, load_duration = LoadDurationNs,
                prompt_eval_count = PromptEvalCount, prompt_eval_duration = PromptEvalDurationNs, eval_count = EvalCount, eval_duration = EvalDurationNs,
            }));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop.ContinueWith(_ => { });
        _listener.Close();
    }
}
