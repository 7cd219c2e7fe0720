using System.CommandLine;
using Engram.Inference.Health;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>engram-daemon record-exit</c>, systemd's ExecStopPost: keeps how the process ended ($SERVICE_RESULT,
/// $EXIT_CODE, $EXIT_STATUS) for the next start's crash report.
/// </summary>
internal static class RecordExitCommand
{
    private static readonly Option<string?> StateDir = new("--state-dir") { Description = "the daemon's state directory (default: as the daemon resolves it)" };

    public static Command Create()
    {
        var command = new Command("record-exit", "record how the previous process ended (systemd ExecStopPost)") { StateDir };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var stateDirectory = parse.GetValue(StateDir) ?? new DaemonOptions().ResolveStateDirectory();
            CrashHistory.RecordExit(stateDirectory, Environment.GetEnvironmentVariable("SERVICE_RESULT"),
                Environment.GetEnvironmentVariable("EXIT_CODE"), Environment.GetEnvironmentVariable("EXIT_STATUS"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
