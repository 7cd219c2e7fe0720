using System.CommandLine;
using Engram.InferenceDaemon.Hosting;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// engram-daemon's command line: <c>[serve]</c>, <c>demo</c>, <c>check</c> and the internal <c>record-exit</c> and
/// <c>rkllm-probe</c>, the switches operators type, and any <c>--Engram:KEY=VALUE</c>. Every outcome is an exit code.
/// </summary>
internal static class DaemonCommandLine
{
    public static RootCommand Create(IReadOnlyList<string> overrides)
    {
        var root = new RootCommand(DaemonHelp.Description)
        {
            ServeCommand.Create(overrides),
            DemoCommand.Create(overrides),
            CheckCommand.Create(overrides),
            CheckLoadCommand.Create(overrides),
            ClearQuarantineCommand.Create(),
            RecordExitCommand.Create(),
            RkllmProbeCommand.Create(),
        };
        foreach (var option in CommonOptions.All)
        {
            root.Options.Add(option);
        }
        root.SetAction((parse, _) => ServeCommand.RunAsync(CommonOptions.ConfigurationArgs(parse, overrides)));
        return root;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        // --Engram:KEY=VALUE overrides are taken out first; System.CommandLine parses the verbs and switches.
        var (remaining, overrides, overrideError) = ConfigurationOverrides.Extract(args);
        if (overrideError is not null)
        {
            return Usage(overrideError);
        }
        var parsed = Create(overrides).Parse(remaining);
        if (parsed.Errors.Count > 0)
        {
            return Usage(string.Join("; ", parsed.Errors.Select(e => e.Message)));
        }
        try
        {
            // The serving host handles SIGTERM and Ctrl+C itself (a graceful stop); demo and check stop on Ctrl+C.
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false },
                ConsoleCancellation.Token);
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine("engram-daemon: the configuration is not valid:");
            foreach (var failure in ex.Failures)
            {
                Console.Error.WriteLine($"  - {failure}");
            }
            return ExitCodes.Configuration;
        }
        catch (StartupFailureException ex)
        {
            // One line, and the exit code systemd does not restart into (RestartPreventExitStatus).
            Console.Error.WriteLine($"engram-daemon: {ex.Message}");
            return ExitCodes.Configuration;
        }
    }

    private static int Usage(string error)
    {
        Console.Error.WriteLine($"engram-daemon: {error}. See engram-daemon --help.");
        return ExitCodes.Usage;
    }
}
