using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Engram.DiscordFrontend.Discord.Model;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>
/// Gateway v10 for one bot session. The connection loop alone decides what follows a connection's end:
/// resume (at the session's resume URL, with the last sequence number), identify afresh (spending the
/// Identify budget carefully) or stop for good. Dispatches go to <see cref="Events"/>; the receive loop
/// never waits on the bot's work, so heartbeat ACKs are always read in time.
/// </summary>
public sealed class GatewayClient : IDiscordGateway
{
    private readonly DiscordClientOptions _options;
    private readonly IDiscordRest _rest;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Random _random;
    private readonly GatewaySession _session = new();
    private readonly IdentifyGate _identify;
    private readonly ReconnectBackoff _backoff;
    // Bounded so a stuck consumer shows up as back-pressure instead of memory growth; the bot's consumer only
    // starts work and never blocks, so the receive loop does not wait here in practice.
    private readonly Channel<GatewayEvent> _events = Channel.CreateBounded<GatewayEvent>(
        new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private BotIdentity? _identity;

    public GatewayClient(DiscordClientOptions options, IDiscordRest rest, TimeProvider time, ILogger<GatewayClient> log, Random? random = null)
    {
        _options = options;
        _rest = rest;
        _time = time;
        _log = log;
        _random = random ?? Random.Shared;
        _identify = new IdentifyGate(options.IdentifyInterval, time);
        _backoff = new ReconnectBackoff(options.ReconnectDelayMin, options.ReconnectDelayMax, _random);
    }

    public ChannelReader<GatewayEvent> Events => _events.Reader;

    public GatewayState State { get; private set; } = GatewayState.Disconnected;

    /// <summary>Round trip of the last acknowledged heartbeat.</summary>
    public TimeSpan? Latency { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var resume = _session.CanResume;
                ConnectionEnd end;
                try
                {
                    var url = resume ? _session.ResumeUrl! : await PrepareIdentifyAsync(cancellationToken);
                    end = await RunConnectionAsync(url, resume, cancellationToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or DiscordRestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Discord's REST API is unreachable or failing (the gateway URL comes from it): wait and try again.
                    end = new ConnectionEnd(ReconnectAction.Identify, $"could not get the gateway URL: {ex.Message}");
                }
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                DiscordLog.ConnectionEnded(_log, end.Reason, end.Action.ToString());
                if (end.Action == ReconnectAction.Fatal)
                {
                    throw new DiscordFatalException($"Discord closed the gateway: {end.Reason}", end.CloseCode);
                }
                if (end.Action == ReconnectAction.Identify)
                {
                    _session.Reset();
                }
                State = GatewayState.Disconnected;
                await Task.Delay(end.Immediate ? TimeSpan.Zero : _backoff.Next(), _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            State = GatewayState.Stopped;
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Before a fresh Identify: where to connect, whether today's budget allows it, and our turn.</summary>
    private async Task<Uri> PrepareIdentifyAsync(CancellationToken cancellationToken)
    {
        var info = await _rest.GetGatewayBotAsync(cancellationToken);
        var limit = info.SessionStartLimit;
        DiscordLog.SessionStartBudget(_log, limit.Remaining, limit.Total);
        if (limit.Remaining <= 0)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Max(limit.ResetAfter, 1000));
            DiscordLog.IdentifyBudgetExhausted(_log, wait);
            await Task.Delay(wait, _time, cancellationToken);
        }
        await _identify.WaitTurnAsync(cancellationToken);
        return new Uri(info.Url);
    }

    private readonly record struct ConnectionEnd(ReconnectAction Action, string Reason, int? CloseCode = null, bool Immediate = false);

    private async Task<ConnectionEnd> RunConnectionAsync(Uri url, bool resume, CancellationToken cancellationToken)
    {
        State = GatewayState.Connecting;
        GatewaySocket socket;
        try
        {
            socket = await GatewaySocket.ConnectAsync(WithQuery(url), _time, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return new ConnectionEnd(ReconnectAction.Resume, $"could not connect to {url.Host}: {ex.Message}");
        }
        await using (socket)
        {
            // Not linked to shutdown: cancelling a pending receive aborts the socket, and a shutdown should say
            // goodbye with 1000 first. Shutdown closes, then gives the close handshake a moment.
            using var connection = new CancellationTokenSource();
            using var onShutdown = cancellationToken.Register(() => _ = CloseForShutdownAsync(socket, connection));
            Task<bool>? zombie = null;
            try
            {
                var hello = await ReceiveHelloAsync(socket, connection.Token);
                if (hello is null)
                {
                    await socket.CloseAsync(GatewayCloseCodes.ClientReconnect, "reconnect requested");
                    return new ConnectionEnd(ReconnectAction.Resume, "op 7 reconnect before hello", Immediate: true);
                }
                var heartbeat = new GatewayHeartbeat(hello.Value, token => socket.SendAsync(GatewayOpcode.Heartbeat, _session.Sequence, token), _time,
                    _random.NextDouble());
                zombie = heartbeat.RunUntilZombieAsync(connection.Token);
                _ = zombie.ContinueWith(z =>
                {
                    if (z.Result)
                    {
                        connection.Cancel(); // ends the receive below
                    }
                }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

                if (resume)
                {
                    State = GatewayState.Resuming;
                    await socket.SendAsync(GatewayOpcode.Resume, new { token = _options.Token, session_id = _session.SessionId, seq = _session.Sequence },
                        connection.Token);
                }
                else
                {
                    State = GatewayState.Identifying;
                    await socket.SendAsync(GatewayOpcode.Identify, new
                    {
                        token = _options.Token,
                        intents = _options.Intents,
                        properties = new { os = "linux", browser = "engram", device = "engram" },
                    }, connection.Token);
                    _identify.Sent();
                }
                return await ReceiveLoopAsync(socket, heartbeat, connection.Token);
            }
            catch (OperationCanceledException) when (zombie is { IsCompletedSuccessfully: true, Result: true })
            {
                await socket.CloseAsync(GatewayCloseCodes.ClientReconnect, "heartbeat not acknowledged");
                return new ConnectionEnd(ReconnectAction.Resume, "zombie connection: a heartbeat was not acknowledged");
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return new ConnectionEnd(ReconnectAction.Fatal, "stopped");
            }
            catch (OperationCanceledException)
            {
                return new ConnectionEnd(ReconnectAction.Resume, $"no hello within {_options.HandshakeTimeout}");
            }
            catch (Exception ex) when (ex is WebSocketException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return new ConnectionEnd(ReconnectAction.Resume, $"connection failed: {ex.Message}");
            }
            finally
            {
                await connection.CancelAsync();
                if (zombie is not null)
                {
                    await zombie;
                }
            }
        }
    }

    // A deliberate shutdown: 1000 ends the session, so Discord shows the bot offline at once.
    private static async Task CloseForShutdownAsync(GatewaySocket socket, CancellationTokenSource connection)
    {
        await socket.CloseAsync(1000, "shutting down");
        try
        {
            connection.CancelAfter(TimeSpan.FromSeconds(2));
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The heartbeat interval from Hello; null when Discord asked for a reconnect instead (op 7 may come first).</summary>
    private async Task<TimeSpan?> ReceiveHelloAsync(GatewaySocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        var frame = await socket.ReceiveAsync(timeout.Token)
            ?? throw new WebSocketException($"the gateway closed before hello ({GatewayCloseCodes.Describe(socket.CloseCode)})");
        return frame.Op switch
        {
            GatewayOpcode.Hello => TimeSpan.FromMilliseconds(frame.Data.GetProperty("heartbeat_interval").GetDouble()),
            GatewayOpcode.Reconnect => null,
            _ => throw new InvalidOperationException($"expected hello, got op {(int)frame.Op}"),
        };
    }

    private async Task<ConnectionEnd> ReceiveLoopAsync(GatewaySocket socket, GatewayHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await socket.ReceiveAsync(cancellationToken);
            if (frame is null)
            {
                // A close frame from Discord; the code decides.
                var code = socket.CloseCode;
                return new ConnectionEnd(GatewayCloseCodes.Decide(code), GatewayCloseCodes.Describe(code), code);
            }
            switch (frame.Op)
            {
                case GatewayOpcode.Dispatch:
                    _session.Observe(frame.Sequence);
                    await DispatchAsync(frame, cancellationToken);
                    break;
                case GatewayOpcode.Heartbeat:
                    await heartbeat.BeatAsync(cancellationToken);
                    break;
                case GatewayOpcode.HeartbeatAck:
                    heartbeat.Acknowledge();
                    Latency = heartbeat.Latency;
                    break;
                case GatewayOpcode.Reconnect:
                    await socket.CloseAsync(GatewayCloseCodes.ClientReconnect, "reconnect requested");
                    return new ConnectionEnd(ReconnectAction.Resume, "op 7 reconnect", Immediate: true);
                case GatewayOpcode.InvalidSession:
                    await socket.CloseAsync(GatewayCloseCodes.ClientReconnect, "invalid session");
                    return frame.Data.ValueKind == JsonValueKind.True
                        ? new ConnectionEnd(ReconnectAction.Resume, "op 9 invalid session (resumable)")
                        : new ConnectionEnd(ReconnectAction.Identify, "op 9 invalid session (not resumable)");
                default:
                    break; // unknown opcodes are ignored, as Discord asks
            }
        }
    }

    private async Task DispatchAsync(GatewayFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.EventName)
        {
            case "READY":
                var user = frame.Data.GetProperty("user").Deserialize<DiscordUser>(DiscordJson.Options)!;
                var application = frame.Data.GetProperty("application").GetProperty("id").Deserialize<ulong>(DiscordJson.Options);
                _session.Start(frame.Data.GetProperty("session_id").GetString()!, new Uri(frame.Data.GetProperty("resume_gateway_url").GetString()!));
                _identity = new BotIdentity(user.Id, user.Username, application);
                State = GatewayState.Ready;
                _backoff.Reset();
                DiscordLog.Ready(_log, user.Username, user.Id);
                await _events.Writer.WriteAsync(new SessionReady(_identity, Resumed: false), cancellationToken);
                break;
            case "RESUMED":
                State = GatewayState.Ready;
                _backoff.Reset();
                DiscordLog.Resumed(_log, _session.Sequence);
                if (_identity is not null)
                {
                    await _events.Writer.WriteAsync(new SessionReady(_identity, Resumed: true), cancellationToken);
                }
                break;
            case "MESSAGE_CREATE":
                await _events.Writer.WriteAsync(new MessageCreated(frame.Data.Deserialize<DiscordMessage>(DiscordJson.Options)!), cancellationToken);
                break;
            case "INTERACTION_CREATE":
                await _events.Writer.WriteAsync(new InteractionCreated(frame.Data.Deserialize<DiscordInteraction>(DiscordJson.Options)!), cancellationToken);
                break;
            default:
                break; // events the bot does not use
        }
    }

    private static Uri WithQuery(Uri url) => new UriBuilder(url) { Query = "v=10&encoding=json" }.Uri;
}

public enum GatewayState
{
    Disconnected,
    Connecting,
    Identifying,
    Resuming,
    Ready,
    Stopped,
}
