using Engram.Bench.Measurement;

namespace Engram.Bench.Load;

/// <summary>What the load showed: <see cref="Rejected"/> counts full-queue refusals, <see cref="RefusedOther"/> the daemon's other refusals.</summary>
public sealed record LoadResult(
    LoadPlan Plan,
    int Completed,
    int Rejected,
    int RefusedOther,
    int Failed,
    int Malformed,
    Summary QueueWaitMs,
    double QueueWaitP50,
    double QueueWaitP95,
    double QueueWaitP99,
    long TotalTokens,
    double TokensPerSecond,
    TimeSpan Elapsed,
    IReadOnlyList<string> Problems);
