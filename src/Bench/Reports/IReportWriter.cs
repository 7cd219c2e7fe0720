using Engram.Bench.Measurement;

namespace Engram.Bench.Reports;

/// <summary>Renders a benchmark report to a writer (console, file).</summary>
public interface IReportWriter
{
    void Write(BenchReport report, TextWriter writer);
}
