using System.Net.Sockets;
using System.Text;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// sd_notify(3) without libsystemd: datagrams to <c>$NOTIFY_SOCKET</c> (READY=1, STATUS=..., WATCHDOG=1,
/// STOPPING=1). Does nothing when the daemon is not started by systemd (or a supervisor playing it).
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _lock = new();

    public SystemdNotifier() : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
    {
    }

    public SystemdNotifier(string? socketPath)
    {
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }
        // A leading '@' names a socket in the abstract namespace.
        _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool IsEnabled => _socket is not null;

    /// <summary>The watchdog interval systemd asked for (<c>$WATCHDOG_USEC</c>), if any.</summary>
    public static TimeSpan? WatchdogInterval =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;

    public void Notify(string state)
    {
        if (_socket is null)
        {
            return;
        }
        lock (_lock)
        {
            try
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint!);
            }
            catch (SocketException)
            {
                // The supervisor went away; there is nobody to tell.
            }
        }
    }

    public void Dispose() => _socket?.Dispose();
}
