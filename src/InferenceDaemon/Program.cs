using Engram.InferenceDaemon.Commands;

return await DaemonCommandLine.RunAsync(args);
