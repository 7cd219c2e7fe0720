using System.Net;
using System.Net.Sockets;

namespace Engram.TestSupport;

/// <summary>A loopback port that was free a moment ago (for a server that must know its port before it starts).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
