namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>
/// Heartbeats for one connection: the first after a random part of the interval (so reconnecting bots do not
/// beat in step), then one per interval. A beat due while the previous one is unacknowledged means the
/// connection is a zombie. A new connection gets a new instance, so no ACK state leaks across reconnects.
/// </summary>
internal sealed class GatewayHeartbeat(TimeSpan interval, Func<CancellationToken, ValueTask> sendBeat, TimeProvider time, double jitter)
{
    private int _awaitingAck;
    private long _sentAt;

    /// <summary>Round trip of the last acknowledged beat.</summary>
    public TimeSpan? Latency { get; private set; }

    public void Acknowledge()
    {
        if (Interlocked.Exchange(ref _awaitingAck, 0) == 1)
        {
            Latency = time.GetElapsedTime(Interlocked.Read(ref _sentAt));
        }
    }

    /// <summary>Beats until cancelled; returns (without throwing) when an ACK failed to arrive: a zombie.</summary>
    public async Task<bool> RunUntilZombieAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(interval * jitter, time, cancellationToken);
            while (true)
            {
                if (Volatile.Read(ref _awaitingAck) == 1)
                {
                    return true;
                }
                await BeatAsync(cancellationToken);
                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
            return false; // the socket is going away; the receive loop sees why
        }
    }

    /// <summary>A beat now (also when the server asks with op 1).</summary>
    public async ValueTask BeatAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _sentAt, time.GetTimestamp());
        Volatile.Write(ref _awaitingAck, 1);
        await sendBeat(cancellationToken);
    }
}
