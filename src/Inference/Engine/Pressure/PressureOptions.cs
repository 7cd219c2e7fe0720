using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Engram.Inference.Engine.Pressure;

/// <summary>
/// When the board is under pressure, new requests go to each profile's <c>fallback</c> profile (a smaller
/// model or context) until it recovers. Section <c>Engram:pressure</c>; a threshold of 0 is off.
/// </summary>
public sealed class PressureOptions
{
    /// <summary>Pressure when MemAvailable drops below this many MiB. Default 0 (off).</summary>
    [ConfigurationKeyName("min_available_memory_mb"), Range(0, 1 << 24)]
    public int MinAvailableMemoryMb { get; set; }

    /// <summary>Pressure when any thermal zone reaches this temperature (°C). Default 0 (off).</summary>
    [ConfigurationKeyName("max_temperature_c"), Range(0, 150)]
    public double MaxTemperatureC { get; set; }

    /// <summary>Pressure when a request waited longer than this in a queue (ms). Default 0 (off).</summary>
    [ConfigurationKeyName("max_queue_wait_ms"), Range(0, 3_600_000)]
    public int MaxQueueWaitMs { get; set; }

    /// <summary>How often memory and temperature are sampled (ms). Default 2000.</summary>
    [ConfigurationKeyName("sample_interval_ms"), Range(50, 600_000)]
    public int SampleIntervalMs { get; set; } = 2000;

    /// <summary>Hysteresis: a figure must be this fraction better than its threshold to count as recovered. Default 0.1.</summary>
    [ConfigurationKeyName("recover_margin"), Range(0.0, 1.0)]
    public double RecoverMargin { get; set; } = 0.1;

    /// <summary>Consecutive recovered samples before the primary profiles return. Default 3.</summary>
    [ConfigurationKeyName("recover_samples"), Range(1, 1000)]
    public int RecoverSamples { get; set; } = 3;

    public bool Enabled => MinAvailableMemoryMb > 0 || MaxTemperatureC > 0 || MaxQueueWaitMs > 0;
}
