using System.Diagnostics;

namespace Engram.Bench.Daemons;

/// <summary>
/// Where the engram-daemon program is, so the bench can start the real daemon as its own process: an explicit
/// path, <c>$ENGRAM_DAEMON</c>, the published layout (<c>../daemon/engram-daemon</c> beside the bench), or this
/// repository's build output.
/// </summary>
public static class DaemonExecutable
{
    public static ProcessStartInfo StartInfo(string? explicitPath)
    {
        var path = explicitPath ?? Environment.GetEnvironmentVariable("ENGRAM_DAEMON") ?? Candidates().FirstOrDefault(File.Exists)
            ?? throw new UserFacingException("engram-daemon was not found: pass --daemon-exe PATH (or set ENGRAM_DAEMON); " +
                $"looked in {string.Join(", ", Candidates())}");
        if (!File.Exists(path))
        {
            throw new UserFacingException($"engram-daemon {path} does not exist");
        }
        var info = path.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet") { ArgumentList = { path } } : new ProcessStartInfo(path);
        info.UseShellExecute = false;
        return info;
    }

    private static IEnumerable<string> Candidates()
    {
        var here = AppContext.BaseDirectory;
        yield return Path.GetFullPath(Path.Combine(here, "..", "daemon", "engram-daemon"));
        // src/Bench/bin/CONFIG/net10.0 → src/InferenceDaemon/bin/CONFIG/net10.0
        var framework = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        if (framework.Parent is { } configuration && configuration.Parent?.Parent?.Parent is { } src)
        {
            yield return Path.Combine(src.FullName, "InferenceDaemon", "bin", configuration.Name, framework.Name, "engram-daemon.dll");
        }
    }
}
