namespace Engram.Bench.Preflight;

/// <summary>The state of the machine the numbers were taken on, and every setting that makes them unreliable.</summary>
public sealed record EnvironmentRecord(
    string Root,
    IReadOnlyDictionary<string, string> Governors,
    IReadOnlyDictionary<string, string> Frequencies,
    long? AvailableMemoryMiB,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<TemperatureReading> Temperatures);

/// <summary>The hottest thermal zone just before one measured run.</summary>
public sealed record TemperatureReading(string Target, double MaxCelsius);
