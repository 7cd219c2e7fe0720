using Engram.Inference.Engine;

namespace Engram.Inference.Lifecycle;

/// <summary>The loop condition of the daemon's periodic services.</summary>
public static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick; false once the host is stopping (instead of throwing).</summary>
    public static async Task<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
