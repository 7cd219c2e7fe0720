using System.CommandLine;
using Engram.InferenceDaemon.Hosting;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Commands;

/// <summary><c>engram-daemon [serve]</c>: run the daemon until SIGTERM or Ctrl+C, which drain it (see shutdown_grace_seconds).</summary>
internal static class ServeCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var command = new Command("serve", "run the daemon (the default when no command is given)");
        command.SetAction((parse, _) => RunAsync(CommonOptions.ConfigurationArgs(parse, overrides)));
        return command;
    }

    /// <summary>The host handles SIGTERM and Ctrl+C itself (graceful stop), so no token is passed in.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> configurationArgs)
    {
        await using var app = DaemonHost.Build(configurationArgs);
        var options = app.Services.GetRequiredService<IOptions<DaemonOptions>>().Value;
        EndpointPreflight.Check(options);
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ListenFailure.Describe(ex, options.Listen) is { } line)
        {
            throw new StartupFailureException(line, ex);
        }
        if (OperatingSystem.IsLinux() && ListenAddress.TryParse(options.Listen, out var listen, out _) && listen.UnixSocket is { } socket
            && UnixSocketModes.TryParse(options.UnixSocketMode, out var mode))
        {
            File.SetUnixFileMode(socket, mode); // so the bot's group can connect (unix_socket_mode)
        }
        await app.WaitForShutdownAsync();
        return ExitCodes.Ok;
    }
}
