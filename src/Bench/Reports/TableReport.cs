using Engram.Bench.Measurement;
using static Engram.Bench.Reports.ReportFormat;

namespace Engram.Bench.Reports;

/// <summary>The console table: one row per target, medians with [min-max] ±stddev, speedups over the baseline.</summary>
public sealed class TableReport : IReportWriter
{
    public void Write(BenchReport report, TextWriter w)
    {
        w.WriteLine($"profile {report.Profile}: {report.ProfileDescription}");
        w.WriteLine($"{report.Runs} measured runs per target after {report.Warmup} warm-up, interleaved; baseline {report.Baseline}");
        w.WriteLine();
        w.WriteLine($"{"target",-10} {"decode tok/s",-26} {"prefill tok/s",-26} {"ttft ms",-26} {"e2e ms",-12} {"tokens",6} {"load ms",8} {"speedup",8} {"ttft x",7} {"quality",7}");
        foreach (var t in report.Targets)
        {
            w.WriteLine($"{t.Target,-10} {Spread(t.DecodeTokensPerSecond),-26} {Spread(t.PrefillTokensPerSecond),-26} {Spread(t.TimeToFirstTokenMs),-26} " +
                $"{Number(t.EndToEndMs.Median, "0"),-12} {Number(t.MeanGeneratedTokens, "0"),6} {Number(t.LoadMs, "0"),8} {Speedup(t.DecodeSpeedup),8} " +
                $"{Speedup(t.FirstTokenSpeedup),7} {Quality(t),7}{(t.Errors > 0 ? $"  ({t.Errors} failed runs)" : "")}");
        }
        w.WriteLine();
        w.WriteLine("decode tok/s and prefill tok/s are the engines' own step timings (llama.cpp/RKLLM, Ollama's eval stats), not wall clock;");
        w.WriteLine("ttft is measured by this client from sending the request; load time is kept apart and never counted as decode.");
        foreach (var warning in report.Environment.Warnings)
        {
            w.WriteLine($"WARNING: {warning}");
        }
    }
}
