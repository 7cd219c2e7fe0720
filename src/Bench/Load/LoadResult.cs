using Engram.Bench.Measurement;

namespace Engram.Bench.Load;

/// <summary>What concurrent streams against one daemon showed.</summary>
public sealed record LoadResult(
    int Clients,
    int Requests,
    int Completed,
    int Rejected,
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
