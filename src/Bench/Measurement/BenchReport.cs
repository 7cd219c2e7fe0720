using Engram.Bench.Targets;

namespace Engram.Bench.Measurement;

/// <summary>One target's figures over its measured runs.</summary>
public sealed record TargetSummary(
    string Target,
    string Description,
    TargetInfo? Info,
    Summary TimeToFirstTokenMs,
    Summary PrefillTokensPerSecond,
    Summary DecodeTokensPerSecond,
    Summary EndToEndMs,
    double MeanGeneratedTokens,
    double MeanPromptTokens,
    double LoadMs,
    int QualityPassed,
    int QualityChecked,
    int Errors,
    double? DecodeSpeedup,
    double? FirstTokenSpeedup);

/// <summary>Everything a run produced: the profile, the environment, every sample, and each target's summary.</summary>
public sealed record BenchReport(
    string Profile,
    string ProfileDescription,
    string Baseline,
    int Runs,
    int Warmup,
    DateTimeOffset At,
    IReadOnlyList<TargetSummary> Targets,
    IReadOnlyList<RunSample> Samples,
    Preflight.EnvironmentRecord Environment)
{
    /// <summary>
    /// Summarises the samples per target; the speedups are each target's median decode tok/s over the
    /// baseline's, and the baseline's median time to first token over each target's (higher is faster).
    /// </summary>
    public static IReadOnlyList<TargetSummary> Summarise(IReadOnlyList<RunSample> samples, IReadOnlyList<(IBenchTarget Target, TargetInfo? Info)> targets, string baseline)
    {
        TargetSummary Of(IBenchTarget target, TargetInfo? info)
        {
            var ok = samples.Where(s => s.Target == target.Name && s.Error is null).ToArray();
            var checkedQuality = samples.Where(s => s.Target == target.Name && s.QualityPassed is not null).ToArray();
            return new TargetSummary(target.Name, target.Description, info,
                Summary.Of(ok.Select(s => s.TimeToFirstTokenMs)),
                Summary.Of(ok.Select(s => s.PrefillTokensPerSecond)),
                Summary.Of(ok.Select(s => s.DecodeTokensPerSecond)),
                Summary.Of(ok.Select(s => s.EndToEndMs)),
                ok.Length > 0 ? ok.Average(s => s.GeneratedTokens) : 0,
                ok.Length > 0 ? ok.Average(s => s.PromptTokens) : 0,
                Math.Max(info?.LoadMs ?? 0, ok.Length > 0 ? ok.Max(s => s.LoadMs) : 0),
                checkedQuality.Count(s => s.QualityPassed == true),
                checkedQuality.Length,
                samples.Count(s => s.Target == target.Name && s.Error is not null),
                null, null);
        }
        var summaries = targets.Select(t => Of(t.Target, t.Info)).ToArray();
        var reference = summaries.First(s => s.Target == baseline);
        return summaries.Select(s => s with
        {
            DecodeSpeedup = Ratio(s.DecodeTokensPerSecond.Median, reference.DecodeTokensPerSecond.Median),
            FirstTokenSpeedup = Ratio(reference.TimeToFirstTokenMs.Median, s.TimeToFirstTokenMs.Median),
        }).ToArray();
    }

    private static double? Ratio(double numerator, double denominator) =>
        double.IsFinite(numerator) && double.IsFinite(denominator) && denominator > 0 ? numerator / denominator : null;
}
