using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;

namespace Engram.TestSupport;

/// <summary>
/// A gRPC client that opens one call and never reads its responses: an HTTP/2 connection (cleartext, prior
/// knowledge) written by hand, whose flow-control window for the server's data is 0 and is never opened. It
/// answers the server's SETTINGS and PINGs (as any live client does) and records how the server ended the stream.
/// </summary>
public sealed class StalledHttp2Client : IAsyncDisposable
{
    private const int StreamId = 1;
    private readonly TcpClient _tcp = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private NetworkStream _stream = null!;
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Completes when the server reset the stream (RST_STREAM) or the connection (GOAWAY, close).</summary>
    public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Bytes of DATA the server managed to send (it cannot: the window is 0).</summary>
    public int DataBytes { get; private set; }

    public static async Task<StalledHttp2Client> CallAsync(string address, string method, IMessage request)
    {
        var uri = new Uri(address);
        var client = new StalledHttp2Client();
        await client._tcp.ConnectAsync(uri.Host, uri.Port);
        client._stream = client._tcp.GetStream();
        var preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        await client._stream.WriteAsync(preface);
        // SETTINGS: ENABLE_PUSH = 0, INITIAL_WINDOW_SIZE = 0 (the server may send no data on any stream).
        await client.WriteFrameAsync(0x4, 0, 0, [0, 2, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
        var headers = new MemoryStream();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", method), (":authority", $"{uri.Host}:{uri.Port}"),
            ("content-type", "application/grpc"), ("te", "trailers"),
        })
        {
            headers.WriteByte(0x00); // literal header field without indexing, new name
            WriteString(headers, name);
            WriteString(headers, value);
        }
        await client.WriteFrameAsync(0x1, 0x4, StreamId, headers.ToArray()); // HEADERS, END_HEADERS
        var message = request.ToByteArray();
        var data = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(1), message.Length);
        message.CopyTo(data, 5);
        await client.WriteFrameAsync(0x0, 0x1, StreamId, data); // DATA, END_STREAM
        client._reader = Task.Run(client.ReadAsync);
        return client;
    }

    private static void WriteString(Stream output, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length >= 127)
        {
            throw new ArgumentException("header too long for this client");
        }
        output.WriteByte((byte)bytes.Length);
        output.Write(bytes);
    }

    private async Task WriteFrameAsync(byte type, byte flags, int stream, byte[] payload)
    {
        var header = new byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(5), stream);
        await _writing.WaitAsync();
        try
        {
            await _stream.WriteAsync(header);
            await _stream.WriteAsync(payload);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ReadAsync()
    {
        var header = new byte[9];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _stream.ReadExactlyAsync(header, _stop.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, _stop.Token);
                var (type, flags, stream) = (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF);
                switch (type)
                {
                    case 0x0:
                        DataBytes += length;
                        break;
                    case 0x3 when stream == StreamId: // RST_STREAM
                        Ended.TrySetResult($"RST_STREAM error {BinaryPrimitives.ReadUInt32BigEndian(payload)}");
                        break;
                    case 0x1 when stream == StreamId && (flags & 0x1) != 0: // HEADERS with END_STREAM: trailers
                        Ended.TrySetResult("trailers");
                        break;
                    case 0x4 when (flags & 0x1) == 0: // SETTINGS: acknowledge, as every client must
                        await WriteFrameAsync(0x4, 0x1, 0, []);
                        break;
                    case 0x6 when (flags & 0x1) == 0: // PING: answer, so the connection stays alive
                        await WriteFrameAsync(0x6, 0x1, 0, payload);
                        break;
                    case 0x7: // GOAWAY
                        Ended.TrySetResult("GOAWAY");
                        break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Ended.TrySetResult("connection closed: " + ex.GetType().Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        await _reader.ContinueWith(_ => { });
    }
}
