using Engram.InferenceDaemon.Diagnostics;
using Engram.Inference.Engine;
using Engram.Inference.Lifecycle;
using Microsoft.Extensions.Hosting.Systemd;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// Pings systemd's watchdog at half its interval, but only while the engine makes progress: a generation
/// whose backend has produced nothing for <see cref="EngineLiveness"/>'s stall limit (a hung native call)
/// stops the pings, and systemd restarts the daemon.
/// </summary>
internal sealed class SystemdWatchdog(ISystemdNotifier notifier, EngineLiveness liveness, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The watchdog interval systemd asked for (<c>$WATCHDOG_USEC</c>), if any.</summary>
    private static TimeSpan? WatchdogInterval =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (WatchdogInterval is not { } interval || !notifier.IsEnabled)
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
                    notifier.Notify(new ServiceState($"STATUS=stalled: {stall}"));
                    stalledReported = true;
                }
                continue;
            }
            stalledReported = false;
            notifier.Notify(Ping);
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }
}
