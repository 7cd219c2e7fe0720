using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Why an endpoint could not be taken, in one line naming the address, from whatever the server threw.</summary>
public static partial class ListenFailure
{
    /// <summary>The one line for an exception from starting the server, or null when it is not a listening problem.</summary>
    public static string? Describe(Exception error, string fallbackAddress)
    {
        var chain = new List<Exception>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }
        var cause = chain.Select(Cause).FirstOrDefault(c => c is not null);
        if (cause is null)
        {
            return null;
        }
        var address = chain.Select(e => BoundAddress().Match(e.Message)).FirstOrDefault(m => m.Success)?.Groups[1].Value.TrimEnd(':', '.')
            ?? fallbackAddress;
        return $"cannot listen on {address}: {cause}";
    }

    private static string? Cause(Exception error) => error switch
    {
        AddressInUseException => "the address is already in use (another daemon, or another service on that port)",
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => "the address is already in use (another daemon, or another service on that port)",
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => "the address is not one of this machine's",
        SocketException { SocketErrorCode: SocketError.AccessDenied } => "permission denied (ports below 1024 need privileges)",
        SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
        UnauthorizedAccessException access => $"permission denied: {access.Message}",
        _ => null,
    };

    [GeneratedRegex(@"bind to address (\S+)")]
    private static partial Regex BoundAddress();
}
