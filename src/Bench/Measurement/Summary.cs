namespace Engram.Bench.Measurement;

/// <summary>Median, min, max, mean and sample standard deviation of one figure over several runs.</summary>
public readonly record struct Summary(int Count, double Median, double Min, double Max, double Mean, double StdDev)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        var mean = sorted.Average();
        var variance = sorted.Length > 1 ? sorted.Sum(v => (v - mean) * (v - mean)) / (sorted.Length - 1) : 0;
        return new Summary(sorted.Length, median, sorted[0], sorted[^1], mean, Math.Sqrt(variance));
    }
}
