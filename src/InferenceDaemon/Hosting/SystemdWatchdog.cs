using Engram.InferenceDaemon.Diagnostics;
using Engram.InferenceDaemon.Engine;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// Pings systemd's watchdog at half its interval, but only while the engine makes progress: a generation
/// whose backend has produced nothing for <see cref="EngineLiveness"/>'s stall limit (a hung native call)
/// stops the pings, and systemd restarts the daemon.
/// </summary>
internal sealed class SystemdWatchdog(SystemdNotifier notifier, EngineLiveness liveness, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (SystemdNotifier.WatchdogInterval is not { } interval || !notifier.IsEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval / 2, time);
        var stalledReported = false;
        do
        {
            if (liveness.Stalled() is { } stall)
            {
                if (!stalledReported)
                {
                    DaemonLog.WatchdogWithheld(logger, stall);
                    notifier.Notify($"STATUS=stalled: {stall}");
                    stalledReported = true;
                }
                continue;
            }
            stalledReported = false;
            notifier.Notify("WATCHDOG=1");
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }
}
