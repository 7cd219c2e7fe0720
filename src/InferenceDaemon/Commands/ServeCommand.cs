using System.CommandLine;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Commands;

/// <summary><c>engram-daemon [serve]</c>: run the daemon until SIGTERM or Ctrl+C.</summary>
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
        await app.RunAsync();
        return ExitCodes.Ok;
    }
}
