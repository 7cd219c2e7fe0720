using Engram.InferenceDaemon.Backends.Rkllm;
using Engram.InferenceDaemon.Hosting;
using Microsoft.Extensions.Options;

if (args is [RkllmVersionProbe.Verb, var probedLibrary])
{
    return RkllmVersionProbe.RunInChild(probedLibrary); // internal: see RkllmVersionProbe
}

if (args is ["record-exit", ..] recordExit)
{
    // systemd's ExecStopPost: keep how the process ended ($SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS) for the next start's crash report.
    var stateDirectory = recordExit is [_, "--state-dir", var dir] ? dir : new DaemonOptions().ResolveStateDirectory();
    Engram.InferenceDaemon.Health.CrashHistory.RecordExit(stateDirectory, Environment.GetEnvironmentVariable("SERVICE_RESULT"),
        Environment.GetEnvironmentVariable("EXIT_CODE"), Environment.GetEnvironmentVariable("EXIT_STATUS"));
    return ExitCodes.Ok;
}

var commandLine = DaemonCommandLine.Parse(args);
if (commandLine.Error is not null)
{
    Console.Error.WriteLine($"engram-daemon: {commandLine.Error}. See engram-daemon --help.");
    return ExitCodes.Usage;
}
if (commandLine.Help)
{
    Console.WriteLine(DaemonCommandLine.HelpText);
    return ExitCodes.Ok;
}

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
try
{
    if (commandLine.Verb == "demo")
    {
        return await DemoCommand.RunAsync(commandLine, Console.Out, shutdown.Token);
    }
    if (commandLine.Verb == "check")
    {
        return await CheckCommand.RunAsync(commandLine, Console.Out, shutdown.Token);
    }
    await using var app = DaemonHost.Build(commandLine.ConfigurationArgs);
    await app.RunAsync(shutdown.Token);
    return ExitCodes.Ok;
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
catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null && ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"engram-daemon: cannot listen: {ex.Message}");
    return ExitCodes.Configuration;
}
