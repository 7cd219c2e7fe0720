using Engram.Inference.Engine;
using Engram.Inference.Health;
using Microsoft.Extensions.Hosting;

namespace Engram.Inference.Lifecycle;

/// <summary>
/// Ends the daemon when a native call stops making progress (a hung NPU run, a load that never returns): it
/// writes why, beside the in-flight record of what was running, and fails fast (SIGABRT, a core dump where
/// enabled). A process stuck in native code does not die of an external SIGABRT under .NET, so waiting for
/// systemd's watchdog would end in a SIGKILL with no core and no cause; the watchdog stays the backstop.
/// </summary>
internal sealed class StallGuard(EngineLiveness liveness, InferenceEngineOptions options, TimeProvider time, ILogger<StallGuard> logger)
    : BackgroundService
{
    /// <summary>How the process ends; a test seam, <see cref="Environment.FailFast(string)"/> otherwise.</summary>
    public Action<string> FailFast { get; init; } = Environment.FailFast;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Often enough to act well before systemd, which stops hearing pings at the same moment and waits WatchdogSec.
        var every = TimeSpan.FromMilliseconds(Math.Clamp(options.StallTimeout.TotalMilliseconds / 4, 100, 1000));
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            if (liveness.Stalled() is { } stall)
            {
                var cause = $"the daemon's stall detector ended it: {stall}";
                LifecycleLog.StallDetected(logger, stall);
                CrashHistory.RecordStall(options.StateDirectory, cause);
                FailFast(cause);
                return;
            }
        }
    }
}
