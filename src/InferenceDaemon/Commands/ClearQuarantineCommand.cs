using System.CommandLine;
using Engram.Inference.Health;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>engram-daemon clear-quarantine [--profile NAME] [--state-dir DIR]</c>: lets a model file that crashed the
/// loader be loaded again at the next start (after the runtime was fixed, say). Changing the file lifts it too.
/// </summary>
internal static class ClearQuarantineCommand
{
    private static readonly Option<string?> Profile = new("--profile") { Description = "only this profile (default: every quarantined model)" };
    private static readonly Option<string?> StateDir = new("--state-dir")
    {
        Description = "the daemon's state directory (default: $STATE_DIRECTORY, else ~/.local/state/engram; /var/lib/engram under systemd)",
    };

    public static Command Create()
    {
        var command = new Command("clear-quarantine", "load again, at the next start, model files that crashed the native loader") { Profile, StateDir };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(StateDir) ?? new DaemonOptions().ResolveStateDirectory();
            var cleared = new LoadQuarantine(directory).Clear(parse.GetValue(Profile));
            Console.WriteLine(cleared.Count == 0
                ? $"nothing quarantined in {directory}"
                : string.Join('\n', cleared.Select(c => $"cleared {c.Model}: {c.File.Path} (crashed the loader with {c.Signal} at {c.CrashedAt:u})")));
            return ExitCodes.Ok;
        });
        return command;
    }
}
