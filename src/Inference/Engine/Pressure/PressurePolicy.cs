
namespace Engram.Inference.Engine.Pressure;

/// <summary>
/// The pressure decision as a pure function of the previous status and a new sample. Entering is
/// immediate; leaving needs every figure better than its threshold by the recover margin for
/// <c>recover_samples</c> samples in a row, so a figure hovering at a threshold cannot make it flap.
/// </summary>
public static class PressurePolicy
{
    public static PressureStatus Next(PressureStatus previous, PressureSample sample, PressureOptions options)
    {
        var crossed = Crossed(sample, options, margin: 0);
        if (crossed is not null)
        {
            return new PressureStatus(true, crossed, 0);
        }
        if (!previous.UnderPressure)
        {
            return PressureStatus.Calm;
        }
        if (Crossed(sample, options, options.RecoverMargin) is { } stillNear)
        {
            return previous with { ClearSamples = 0 };
        }
        var clear = previous.ClearSamples + 1;
        return clear >= options.RecoverSamples ? PressureStatus.Calm : previous with { ClearSamples = clear };
    }

    /// <summary>The first threshold the sample crosses (tightened by <paramref name="margin"/>), in words; null if none.</summary>
    private static string? Crossed(PressureSample sample, PressureOptions options, double margin)
    {
        if (options.MinAvailableMemoryMb > 0 && sample.AvailableMemoryMb is { } memory && memory < options.MinAvailableMemoryMb * (1 + margin))
        {
            return $"memory: {memory} MiB available, below {options.MinAvailableMemoryMb} MiB";
        }
        if (options.MaxTemperatureC > 0 && sample.MaxTemperatureC is { } temperature && temperature >= options.MaxTemperatureC * (1 - margin))
        {
            return $"temperature: {temperature:0.0} C, at or above {options.MaxTemperatureC:0.0} C";
        }
        if (options.MaxQueueWaitMs > 0 && sample.LongestQueueWaitMs is { } wait && wait > options.MaxQueueWaitMs * (1 - margin))
        {
            return $"queue wait: {wait:0} ms, above {options.MaxQueueWaitMs} ms";
        }
        return null;
    }
}
