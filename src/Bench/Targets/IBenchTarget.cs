using Engram.Bench.Measurement;
using Engram.Bench.Profiles;

namespace Engram.Bench.Targets;

/// <summary>What a target says about itself before the runs: its model, backend, load time, platform.</summary>
public sealed record TargetInfo(string Model, string Backend, double LoadMs, IReadOnlyList<string> Platform);

/// <summary>Something that generates and reports its own timings: an Engram daemon, or an Ollama server.</summary>
public interface IBenchTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>engram or ollama, and where.</summary>
    string Description { get; }

    Task<TargetInfo> DescribeAsync(CancellationToken cancellationToken);

    Task<RunSample> RunAsync(BenchPrompt prompt, float temperature, int run, CancellationToken cancellationToken);
}
