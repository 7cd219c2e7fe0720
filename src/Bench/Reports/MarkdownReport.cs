using Engram.Bench.Measurement;
using static Engram.Bench.Reports.ReportFormat;

namespace Engram.Bench.Reports;

/// <summary>A Markdown table for an issue or a README, like the original measurement's table.</summary>
public sealed class MarkdownReport : IReportWriter
{
    public void Write(BenchReport report, TextWriter w)
    {
        w.WriteLine($"## engram-bench: {report.Profile}");
        w.WriteLine();
        w.WriteLine($"{report.ProfileDescription} {report.Runs} runs per target after {report.Warmup} warm-up, interleaved; {report.At:yyyy-MM-dd HH:mm} UTC.");
        w.WriteLine();
        w.WriteLine($"| target | model | decode tok/s (median [min-max]) | prefill tok/s | time to first token ms | tokens | load ms | speedup vs {report.Baseline} | quality |");
        w.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var t in report.Targets)
        {
            w.WriteLine($"| {t.Target} | {t.Info?.Model ?? "-"} ({t.Info?.Backend ?? t.Description}) | {Spread(t.DecodeTokensPerSecond)} | {Number(t.PrefillTokensPerSecond.Median)} | " +
                $"{Spread(t.TimeToFirstTokenMs, "0")} | {Number(t.MeanGeneratedTokens, "0")} | {Number(t.LoadMs, "0")} | {Speedup(t.DecodeSpeedup)} | {Quality(t)} |");
        }
        if (report.Environment.Warnings.Count > 0)
        {
            w.WriteLine();
            foreach (var warning in report.Environment.Warnings)
            {
                w.WriteLine($"- warning: {warning}");
            }
        }
    }
}
