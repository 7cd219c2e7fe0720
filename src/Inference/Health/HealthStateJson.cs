using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engram.Inference.Health;

/// <summary>What the daemon writes about its own deaths (the state directory's files), as the CLI's
/// <c>record-exit</c> writes it for systemd's ExecStopPost.</summary>
public sealed record ExitRecord(string? ServiceResult, string? ExitCode, string? ExitStatus);

/// <summary>Why the daemon ended itself: its stall detector's verdict.</summary>
public sealed record StallRecord(string Cause);

/// <summary>
/// The state directory's JSON, compiled ahead of time: the daemon ships as a native AOT binary, which has no
/// reflection-based serializer. Names are snake_case, as operators read them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(InflightRecord))]
[JsonSerializable(typeof(LastCrash))]
[JsonSerializable(typeof(QuarantinedModel[]))]
[JsonSerializable(typeof(ExitRecord))]
[JsonSerializable(typeof(StallRecord))]
internal sealed partial class HealthStateJson : JsonSerializerContext
{
    /// <summary>The same names, indented: for files an operator opens by hand.</summary>
    public static HealthStateJson Indented { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
}
