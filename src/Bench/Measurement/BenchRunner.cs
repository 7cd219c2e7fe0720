using System.Text.RegularExpressions;
using Engram.Bench.Profiles;
using Engram.Bench.Targets;

namespace Engram.Bench.Measurement;

/// <summary>
/// Runs a profile on every target: warm-up runs first, then the measured runs interleaved (A B A B ...) so
/// that drift of the machine (heat, frequency, other load) hits every target alike.
/// </summary>
public sealed class BenchRunner(IReadOnlyList<IBenchTarget> targets, BenchProfile profile, int runs, int warmup)
{
    /// <summary>Called after every run (warm-up included) for progress output.</summary>
    public Action<RunSample, bool>? Progress { get; init; }

    /// <summary>Called before every measured run, e.g. to record temperatures.</summary>
    public Func<string, Task>? BeforeRun { get; init; }

    public async Task<IReadOnlyList<RunSample>> RunAsync(CancellationToken cancellationToken)
    {
        var samples = new List<RunSample>();
        for (var round = 0; round < warmup + runs; round++)
        {
            var measured = round >= warmup;
            foreach (var prompt in profile.Prompts)
            {
                foreach (var target in targets)
                {
                    if (measured && BeforeRun is not null)
                    {
                        await BeforeRun(target.Name);
                    }
                    var sample = await RunOneAsync(target, prompt, measured ? round - warmup + 1 : 0, cancellationToken);
                    Progress?.Invoke(sample, measured);
                    if (measured)
                    {
                        samples.Add(sample);
                    }
                }
            }
        }
        return samples;
    }

    private async Task<RunSample> RunOneAsync(IBenchTarget target, BenchPrompt prompt, int run, CancellationToken cancellationToken)
    {
        try
        {
            var sample = await target.RunAsync(prompt, profile.Temperature, run, cancellationToken);
            return prompt.Expect is { } expect
                ? sample with { QualityPassed = Regex.IsMatch(sample.Text, expect, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)) }
                : sample;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new RunSample { Target = target.Name, Prompt = prompt.Name, Run = run, Error = ex.Message, QualityPassed = prompt.Expect is null ? null : false };
        }
    }
}
