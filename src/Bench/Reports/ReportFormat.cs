using System.Globalization;
using Engram.Bench.Measurement;

namespace Engram.Bench.Reports;

/// <summary>How figures are printed, the same in every text format.</summary>
internal static class ReportFormat
{
    public static string Number(double value, string format = "0.0") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static string Spread(Summary s, string format = "0.0") =>
        s.Count == 0 ? "-" : $"{Number(s.Median, format)} [{Number(s.Min, format)}-{Number(s.Max, format)}] ±{Number(s.StdDev, format)}";

    public static string Speedup(double? ratio) => ratio is { } r ? Number(r, "0.00") + "x" : "-";

    public static string Quality(TargetSummary s) => s.QualityChecked == 0 ? "-" : $"{s.QualityPassed}/{s.QualityChecked}";
}
