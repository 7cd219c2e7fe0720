using System.Globalization;
using Engram.Bench.Measurement;

namespace Engram.Bench.Reports;

/// <summary>Two bar charts, decode tok/s and time to first token per target, with min-max whiskers.</summary>
public sealed class SvgChartReport : IReportWriter
{
    private const int Width = 720, PanelHeight = 220, Left = 110, BarHeight = 26, Gap = 12;

    public void Write(BenchReport report, TextWriter w)
    {
        var rows = report.Targets.Count;
        var panel = Math.Max(PanelHeight, 60 + rows * (BarHeight + Gap));
        w.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{panel * 2 + 20}\" font-family=\"sans-serif\" font-size=\"12\">");
        w.WriteLine($"<title>engram-bench {Escape(report.Profile)}</title>");
        Panel(w, 0, panel, "decode tok/s (higher is better)", report.Targets.Select(t => (t.Target, t.DecodeTokensPerSecond)).ToArray());
        Panel(w, panel + 20, panel, "time to first token, ms (lower is better)", report.Targets.Select(t => (t.Target, t.TimeToFirstTokenMs)).ToArray());
        w.WriteLine("</svg>");
    }

    private static void Panel(TextWriter w, int top, int height, string title, (string Name, Summary Value)[] bars)
    {
        var max = bars.Select(b => b.Value.Max).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        var scale = (Width - Left - 40) / (max > 0 ? max : 1);
        w.WriteLine($"<text x=\"10\" y=\"{top + 20}\" font-weight=\"bold\">{Escape(title)}</text>");
        for (var i = 0; i < bars.Length; i++)
        {
            var (name, value) = bars[i];
            var y = top + 40 + i * (BarHeight + Gap);
            var median = double.IsFinite(value.Median) ? value.Median : 0;
            w.WriteLine($"<text x=\"10\" y=\"{y + BarHeight / 2 + 4}\">{Escape(name)}</text>");
            w.WriteLine($"<rect x=\"{Left}\" y=\"{y}\" width=\"{F(median * scale)}\" height=\"{BarHeight}\" fill=\"#4a7fb5\"><title>{F(median)}</title></rect>");
            if (double.IsFinite(value.Min) && double.IsFinite(value.Max))
            {
                var mid = y + BarHeight / 2;
                w.WriteLine($"<line x1=\"{F(Left + value.Min * scale)}\" x2=\"{F(Left + value.Max * scale)}\" y1=\"{mid}\" y2=\"{mid}\" stroke=\"#222\" stroke-width=\"2\"/>");
                w.WriteLine($"<line x1=\"{F(Left + value.Min * scale)}\" x2=\"{F(Left + value.Min * scale)}\" y1=\"{mid - 6}\" y2=\"{mid + 6}\" stroke=\"#222\" stroke-width=\"2\"/>");
                w.WriteLine($"<line x1=\"{F(Left + value.Max * scale)}\" x2=\"{F(Left + value.Max * scale)}\" y1=\"{mid - 6}\" y2=\"{mid + 6}\" stroke=\"#222\" stroke-width=\"2\"/>");
            }
            w.WriteLine($"<text x=\"{F(Left + Math.Max(median, double.IsFinite(value.Max) ? value.Max : 0) * scale + 6)}\" y=\"{y + BarHeight / 2 + 4}\">{F(median)}</text>");
        }
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
