using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Limits;

namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>
/// One gateway WebSocket. Reads whole messages (READY spans many frames). Sends go through one writer loop:
/// ClientWebSocket allows one send at a time, and heartbeats, Identify and Resume come from different places.
/// The writer also keeps Discord's limits: 4096 bytes a payload, 120 payloads a minute.
/// </summary>
internal sealed class GatewaySocket : IAsyncDisposable
{
    public const int MaxPayloadBytes = 4096;
    private const int SendsPerMinute = 120;

    private readonly ClientWebSocket _socket;
    private readonly SlidingWindowLimiter<int> _sendCap;
    private readonly Channel<(byte[] Payload, TaskCompletionSource Sent)> _outgoing =
        Channel.CreateBounded<(byte[], TaskCompletionSource)>(new BoundedChannelOptions(32) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    // The writer loop and a close both send on the socket; one at a time, as ClientWebSocket requires.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Task _writer;

    private GatewaySocket(ClientWebSocket socket, TimeProvider time)
    {
        _socket = socket;
        _sendCap = new SlidingWindowLimiter<int>(SendsPerMinute, TimeSpan.FromMinutes(1), time);
        _writer = Task.Run(WriteLoopAsync);
    }

    public static async Task<GatewaySocket> ConnectAsync(Uri url, TimeProvider time, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // Discord's heartbeats are the liveness check; WebSocket pings would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new GatewaySocket(socket, time);
    }

    /// <summary>The close code Discord sent, once the socket has closed.</summary>
    public int? CloseCode => _socket.CloseStatus is { } status ? (int)status : null;

    /// <summary>The next whole message, or null when the server closed the socket (see <see cref="CloseCode"/>).</summary>
    public async Task<GatewayFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return GatewayFrame.Parse(message.GetBuffer().AsSpan(0, (int)message.Length));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Queues a payload for the writer and waits until it is on the wire.</summary>
    public async ValueTask SendAsync(GatewayOpcode op, object? data, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { op = (int)op, d = data }, DiscordJson.Options);
        if (payload.Length > MaxPayloadBytes)
        {
            throw new InvalidOperationException($"a gateway payload of {payload.Length} bytes is over Discord's {MaxPayloadBytes}-byte limit");
        }
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _outgoing.Writer.WriteAsync((payload, sent), cancellationToken);
        await sent.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var (payload, sent) in _outgoing.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await _sendCap.AcquireAsync(0, _stop.Token);
                    await _sending.WaitAsync(_stop.Token);
                    try
                    {
                        await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
                    }
                    finally
                    {
                        _sending.Release();
                    }
                    sent.TrySetResult();
                }
                catch (Exception ex)
                {
                    sent.TrySetException(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        // Anyone still waiting learns the socket is gone.
        while (_outgoing.Reader.TryRead(out var pending))
        {
            pending.Sent.TrySetException(new WebSocketException("the gateway connection closed before the payload was sent"));
        }
    }

    /// <summary>Closes with <paramref name="code"/>: 1000 ends the session (shutdown); 4000 keeps it resumable.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        _outgoing.Writer.TryComplete();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _sending.WaitAsync(timeout.Token);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
                }
            }
            finally
            {
                _sending.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing a broken socket: nothing more to say to it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        await _stop.CancelAsync();
        _socket.Abort();
        await _writer;
        _socket.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }
}
