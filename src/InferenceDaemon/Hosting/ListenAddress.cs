using System.Net;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>A parsed <c>HOST:PORT</c> (IPv4, [IPv6] or <c>localhost</c>).</summary>
public readonly record struct ListenAddress(IPAddress Address, int Port, string? UnixSocket = null)
{
    /// <summary>sun_path holds 108 bytes with its terminating NUL.</summary>
    public const int MaxUnixSocketPathBytes = 107;

    public static bool TryParse(string? text, out ListenAddress address, out string error)
    {
        address = default;
        error = "";
        if (text is not null && text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = "/" + text["unix:".Length..].TrimStart('/');
            address = new ListenAddress(IPAddress.None, 0, path);
            return true;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "listen address is empty; expected HOST:PORT, e.g. 127.0.0.1:50051";
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            error = $"listen address '{text}' is not HOST:PORT with a port from 0 to 65535";
            return false;
        }
        var host = text[..colon].Trim('[', ']');
        IPAddress? ip = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : null;
        if (ip is null && !IPAddress.TryParse(host, out ip))
        {
            error = $"listen host '{host}' is not an IP address or 'localhost'";
            return false;
        }
        address = new ListenAddress(ip, port);
        return true;
    }

    /// <summary>Loopback or a unix socket: reachable only from this machine.</summary>
    public bool IsLocal => UnixSocket is not null || IPAddress.IsLoopback(Address);

    public override string ToString() => UnixSocket is not null ? "unix:" + UnixSocket : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{Address}]:{Port}"
        : $"{Address}:{Port}";
}
