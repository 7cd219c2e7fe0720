using System.Net.Sockets;
using Engram.Inference.Validation.Artifacts;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// A <c>unix:</c> listener's path, made ready safely: only a stale socket (one nobody accepts on) is removed; a
/// live socket means another daemon serves there, and anything that is not a socket is never touched.
/// </summary>
public static class UnixSocketEndpoint
{
    public static void Prepare(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new StartupFailureException($"cannot listen on unix:{path}: cannot create {directory}: {ex.Message}", ex);
        }
        switch (FileKind.Of(path))
        {
            case FileKindOf.Missing:
                return;
            case FileKindOf.Socket when IsLive(path):
                throw new StartupFailureException($"cannot listen on unix:{path}: another process is accepting connections on it " +
                    "(a daemon already running?); stop it or choose another path");
            case FileKindOf.Socket:
                File.Delete(path); // stale: left by a process that died
                return;
            default:
                throw new StartupFailureException($"cannot listen on unix:{path}: it exists and is not a socket; not removing it");
        }
    }

    private static bool IsLive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false; // ECONNREFUSED: nobody accepts on it
        }
    }
}
