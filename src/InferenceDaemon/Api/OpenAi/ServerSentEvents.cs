using System.Buffers;
using System.Text.Json;

namespace Engram.InferenceDaemon.Api.OpenAi;

/// <summary>
/// The response as server-sent events, OpenAI's way: <c>data: JSON</c> blocks, each flushed as it is written, and a
/// closing <c>data: [DONE]</c>. The only writer of its response.
/// </summary>
internal sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private bool _started;

    public bool Started => _started;

    public async Task WriteAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        Start();
        _buffer.Clear();
        _buffer.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(_buffer))
        {
            write(json);
        }
        _buffer.Write(EventEnd);
        await response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>A comment line: clients ignore it; it keeps proxies from closing a stream that waits in the queue.</summary>
    public async Task CommentAsync(string text, CancellationToken cancellationToken)
    {
        Start();
        await response.WriteAsync($": {text}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task DoneAsync(CancellationToken cancellationToken)
    {
        Start();
        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private void Start()
    {
        if (_started)
        {
            return;
        }
        _started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx in front must not hold tokens back
    }
}
