namespace Engram.Inference.Engine;

/// <summary>How the next token is chosen. Temperature 0 is greedy; TopK 0 and TopP 1 disable those filters.</summary>
public sealed record SamplingSettings(float Temperature, int TopK, float TopP, ulong? Seed)
{
    public bool IsGreedy => Temperature <= 0f;
}
