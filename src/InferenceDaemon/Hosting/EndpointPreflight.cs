using System.Net;
using System.Net.Sockets;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// Tries each TCP endpoint (gRPC, metrics, OpenAI) before the server starts, so an address in use, or not this
/// machine's, ends the start in one line naming it, before the server would log its own exception dump.
/// </summary>
public static class EndpointPreflight
{
    public static void Check(DaemonOptions options)
    {
        foreach (var text in new[] { options.Listen, options.Metrics, options.OpenAiListen })
        {
            if (!ListenAddress.TryParse(text, out var address, out _) || address.UnixSocket is not null || address.Port == 0)
            {
                continue;
            }
            using var probe = new Socket(address.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(address.Address, address.Port));
            }
            catch (SocketException ex)
            {
                throw new StartupFailureException(ListenFailure.Describe(ex, address.ToString()) ?? $"cannot listen on {address}: {ex.Message}", ex);
            }
        }
    }
}
