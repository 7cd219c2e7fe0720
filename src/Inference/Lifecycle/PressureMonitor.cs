using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Platform;
using Microsoft.Extensions.Hosting;

namespace Engram.Inference.Lifecycle;

/// <summary>Samples memory, temperature and queue waits on a timer and feeds them through <see cref="PressurePolicy"/>.</summary>
internal sealed class PressureMonitor(
    PressureOptions pressure,
    ModelValidator validator,
    ModelRegistry registry,
    PressureState state,
    TimeProvider time,
    ILogger<PressureMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!pressure.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(pressure.SampleIntervalMs), time);
        do
        {
            var sample = Sample();
            var before = state.Status;
            var after = PressurePolicy.Next(before, sample, pressure);
            state.Set(after);
            if (before.UnderPressure != after.UnderPressure)
            {
                LifecycleLog.PressureChanged(logger, after.UnderPressure ? "entered" : "left", after.UnderPressure ? after.Reason : before.Reason);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    private PressureSample Sample()
    {
        var root = validator.Probe.Root;
        var memory = MemoryCheck.AvailableBytes(root) is { } bytes ? bytes / 1048576 : (long?)null;
        var temperatures = ThermalCheck.Read(root);
        var wait = registry.Slots.Select(s => s.Queue.LongestWait()).Max();
        return new PressureSample(memory, temperatures.Count > 0 ? temperatures.Max(t => t.Celsius) : null, wait?.TotalMilliseconds);
    }
}
