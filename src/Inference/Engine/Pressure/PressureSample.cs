namespace Engram.Inference.Engine.Pressure;

/// <summary>One reading of the figures pressure depends on; null where a figure could not be read.</summary>
public readonly record struct PressureSample(long? AvailableMemoryMb, double? MaxTemperatureC, double? LongestQueueWaitMs);

/// <summary>Whether the board is under pressure, why, and how many clear samples have been seen since.</summary>
public sealed record PressureStatus(bool UnderPressure, string Reason, int ClearSamples)
{
    public static PressureStatus Calm { get; } = new(false, "", 0);
}
