using System.Text.Json;
using Engram.Bench.Measurement;

namespace Engram.Bench.Reports;

/// <summary>The whole report, every sample included, for scripts and later comparison.</summary>
public sealed class JsonReport : IReportWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Write(BenchReport report, TextWriter w) => w.WriteLine(JsonSerializer.Serialize(report, Options));
}
