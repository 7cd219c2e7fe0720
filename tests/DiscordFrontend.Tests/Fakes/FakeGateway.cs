using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Engram.DiscordFrontend.Tests.Fakes;

/// <summary>
/// The fake's gateway: Hello, Identify (with Discord's checks: token, one Identify per connection, nothing
/// before it, 4096-byte payloads), READY with a resume URL different from the base URL, heartbeat ACKs,
/// dispatches with increasing sequence numbers, Resume that replays what the client missed. Switches send
/// op 7, op 9, any close code, stop ACKing (a zombie), or drop the connection.
/// </summary>
public sealed class FakeGateway(FakeDiscordServer server) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<(long Seq, string Name, JsonNode Data)> _log = [];
    private FakeConnection? _live;
    private string? _sessionId;
    private long _seq;
    private int _connections;

    /// <summary>Heartbeat interval announced in Hello. Default 1000 ms.</summary>
    public int HeartbeatIntervalMs { get; set; } = 1000;

    /// <summary>Stop answering heartbeats: the connection becomes a zombie.</summary>
    public bool StopAcking { get; set; }

    /// <summary>Close every Identify with this code (4004 bad token, 4014 disallowed intents).</summary>
    public int? CloseOnIdentify { get; set; }

    /// <summary>On Resume, replay from this many events before the client's sequence (Discord may deliver twice).</summary>
    public int ReplayOverlap { get; set; }

    /// <summary>Send op 7 instead of Hello on the next connection.</summary>
    public bool ReconnectBeforeHello { get; set; }

    public ConcurrentQueue<(DateTimeOffset At, int Intents, string Token)> Identifies { get; } = new();
    public ConcurrentQueue<(DateTimeOffset At, bool OnResumeUrl, string SessionId, long? Seq)> Resumes { get; } = new();
    public ConcurrentQueue<(DateTimeOffset At, long? Seq)> Heartbeats { get; } = new();

    /// <summary>Close codes the client closed with (null: dropped without a close frame).</summary>
    public ConcurrentQueue<int?> ClientCloses { get; } = new();

    /// <summary>Close codes the server enforced (4003, 4005, 4002...).</summary>
    public ConcurrentQueue<int> ProtocolViolations { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    public bool HasLiveSession
    {
        get
        {
            lock (_lock)
            {
                return _live is { Ready: true };
            }
        }
    }

    public string? SessionId => _sessionId;

    /// <summary>Appends an event to the session and sends it if a connection is live; otherwise it waits for a resume.</summary>
    public async Task DispatchAsync(string name, JsonNode data)
    {
        FakeConnection? live;
        long seq;
        lock (_lock)
        {
            seq = ++_seq;
            _log.Add((seq, name, data));
            live = _live is { Ready: true } ? _live : null;
        }
        if (live is not null)
        {
            await live.SendAsync(new JsonObject { ["op"] = 0, ["t"] = name, ["s"] = seq, ["d"] = data.DeepClone() });
        }
    }

    public Task SendReconnectAsync() => SendToLiveAsync(new JsonObject { ["op"] = 7, ["d"] = null });

    public Task SendInvalidSessionAsync(bool resumable) => SendToLiveAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });

    /// <summary>Closes the live connection with a close code, as Discord does.</summary>
    public Task CloseLiveAsync(int code) => Live()?.CloseAsync(code) ?? Task.CompletedTask;

    /// <summary>Drops the live connection without a close frame (a dead TCP connection).</summary>
    public void DropLive() => Live()?.Abort();

    private FakeConnection? Live()
    {
        lock (_lock)
        {
            return _live;
        }
    }

    private Task SendToLiveAsync(JsonObject payload) => Live()?.SendAsync(payload) ?? Task.CompletedTask;

    public async Task AcceptAsync(HttpContext context, bool resumeUrl)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        if (context.Request.Query["v"] != "10" || context.Request.Query["encoding"] != "json")
        {
            context.Response.StatusCode = 400;
            return;
        }
        Interlocked.Increment(ref _connections);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeConnection(socket);
        lock (_lock)
        {
            _live = connection;
        }
        try
        {
            await RunAsync(connection, resumeUrl);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException)
        {
            ClientCloses.Enqueue(null);
        }
        finally
        {
            lock (_lock)
            {
                if (_live == connection)
                {
                    _live = null;
                }
            }
        }
    }

    private async Task RunAsync(FakeConnection connection, bool resumeUrl)
    {
        if (ReconnectBeforeHello)
        {
            ReconnectBeforeHello = false;
            await connection.SendAsync(new JsonObject { ["op"] = 7, ["d"] = null });
        }
        else
        {
            await connection.SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMs } });
        }
        var identified = false;
        while (true)
        {
            var (text, closeCode) = await connection.ReceiveAsync();
            if (text is null)
            {
                ClientCloses.Enqueue(closeCode);
                return;
            }
            if (Encoding.UTF8.GetByteCount(text) > 4096)
            {
                await Violation(connection, 4002);
                return;
            }
            var payload = JsonNode.Parse(text)!;
            var op = payload["op"]!.GetValue<int>();
            switch (op)
            {
                case 1:
                    Heartbeats.Enqueue((DateTimeOffset.UtcNow, payload["d"]?.GetValue<long>()));
                    if (!StopAcking)
                    {
                        await connection.SendAsync(new JsonObject { ["op"] = 11 });
                    }
                    break;
                case 2:
                    if (identified)
                    {
                        await Violation(connection, 4005);
                        return;
                    }
                    identified = true;
                    var data = payload["d"]!;
                    Identifies.Enqueue((DateTimeOffset.UtcNow, data["intents"]!.GetValue<int>(), data["token"]!.GetValue<string>()));
                    if (CloseOnIdentify is { } code)
                    {
                        await connection.CloseAsync(code);
                        return;
                    }
                    if (data["token"]!.GetValue<string>() != FakeDiscordServer.Token)
                    {
                        await connection.CloseAsync(4004);
                        return;
                    }
                    await StartSessionAsync(connection);
                    break;
                case 6:
                    if (identified)
                    {
                        await Violation(connection, 4005);
                        return;
                    }
                    identified = true;
                    await ResumeAsync(connection, payload["d"]!, resumeUrl);
                    break;
                default:
                    if (!identified)
                    {
                        await Violation(connection, 4003);
                        return;
                    }
                    break;
            }
        }
    }

    private async Task StartSessionAsync(FakeConnection connection)
    {
        long seq;
        lock (_lock)
        {
            _sessionId = Guid.NewGuid().ToString("N");
            _log.Clear();
            seq = ++_seq;
        }
        await connection.SendAsync(new JsonObject
        {
            ["op"] = 0,
            ["t"] = "READY",
            ["s"] = seq,
            ["d"] = new JsonObject
            {
                ["v"] = 10,
                ["user"] = FakeDiscordServer.User(FakeDiscordServer.BotUserId, true),
                ["guilds"] = new JsonArray(),
                ["session_id"] = _sessionId,
                ["resume_gateway_url"] = server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/resume",
                ["application"] = new JsonObject { ["id"] = FakeDiscordServer.ApplicationId.ToString(), ["flags"] = 0 },
            },
        });
        connection.Ready = true;
    }

    private async Task ResumeAsync(FakeConnection connection, JsonNode data, bool resumeUrl)
    {
        var sessionId = data["session_id"]?.GetValue<string>() ?? "";
        var seq = data["seq"]?.GetValue<long?>();
        Resumes.Enqueue((DateTimeOffset.UtcNow, resumeUrl, sessionId, seq));
        List<(long Seq, string Name, JsonNode Data)> missed;
        lock (_lock)
        {
            if (sessionId != _sessionId || seq is null || seq > _seq)
            {
                missed = [];
                _ = connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false });
                return;
            }
            missed = _log.Where(e => e.Seq > seq - ReplayOverlap).ToList();
        }
        foreach (var (s, name, d) in missed)
        {
            await connection.SendAsync(new JsonObject { ["op"] = 0, ["t"] = name, ["s"] = s, ["d"] = d.DeepClone() });
        }
        long resumedSeq;
        lock (_lock)
        {
            resumedSeq = ++_seq;
        }
        await connection.SendAsync(new JsonObject { ["op"] = 0, ["t"] = "RESUMED", ["s"] = resumedSeq, ["d"] = new JsonObject() });
        connection.Ready = true;
    }

    private async Task Violation(FakeConnection connection, int code)
    {
        ProtocolViolations.Enqueue(code);
        await connection.CloseAsync(code);
    }

    public ValueTask DisposeAsync()
    {
        Live()?.Abort();
        return ValueTask.CompletedTask;
    }

    /// <summary>One client connection; sends are serialised, as they must be on a WebSocket.</summary>
    private sealed class FakeConnection(WebSocket socket)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public bool Ready { get; set; }

        public async Task SendAsync(JsonNode payload)
        {
            await _send.WaitAsync();
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(payload.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                _send.Release();
            }
        }

        public async Task<(string? Text, int? CloseCode)> ReceiveAsync()
        {
            var buffer = new byte[8192];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (null, (int?)result.CloseStatus);
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return (Encoding.UTF8.GetString(message.ToArray()), null);
                }
            }
        }

        public async Task CloseAsync(int code)
        {
            Ready = false;
            await _send.WaitAsync();
            try
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, "fake discord", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                _send.Release();
            }
        }

        public void Abort()
        {
            Ready = false;
            socket.Abort();
        }
    }
}
