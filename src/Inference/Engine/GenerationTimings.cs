namespace Engram.Inference.Engine;

/// <summary>
/// The figures of one generation. Decode time runs from the first generated token to the last, so it
/// never includes loading, queueing or the prefill: tokens/s here are per decode step, not wall clock.
/// </summary>
public sealed record GenerationTimings(
    TimeSpan Queue,
    int PromptTokens,
    TimeSpan Prefill,
    int GeneratedTokens,
    TimeSpan Decode,
    TimeSpan TimeToFirstToken,
    TimeSpan Total,
    int CachedPromptTokens = 0)
{
    /// <summary>Tokens the prefill actually evaluated: the prompt less what a cached sequence already held.</summary>
    public int PrefilledTokens => PromptTokens - CachedPromptTokens;

    public double PrefillTokensPerSecond => Rate(PrefilledTokens, Prefill);

    /// <summary>The first token comes out of the prefill, so N tokens are N-1 decode steps.</summary>
    public double DecodeTokensPerSecond => GeneratedTokens > 1 ? Rate(GeneratedTokens - 1, Decode) : 0;

    private static double Rate(int count, TimeSpan time) => time > TimeSpan.Zero ? count / time.TotalSeconds : 0;
}
