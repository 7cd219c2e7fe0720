using Engram.ModelFiles.Gguf;

namespace Engram.ModelFiles.Synthetic;

/// <summary>
/// Seeded random weights: uniform in ±1/√fan_in, norms at 1. Every row has its own seed derived from the
/// tensor name and row index, so the same seed gives the same file whatever order rows are written in.
/// Decode speed does not depend on weight values, so these models measure real speed.
/// </summary>
public static class RandomWeights
{
    public static WeightSource Create(ulong seed) => (name, dimensions) =>
    {
        if (name.EndsWith("norm.weight", StringComparison.Ordinal))
        {
            return static (_, values) => values.Fill(1f);
        }
        var fanIn = (float)dimensions[0];
        var scale = 1f / MathF.Sqrt(fanIn);
        var tensorSeed = seed ^ StableHash(name);
        return (row, values) =>
        {
            var random = new XorShiftRandom(tensorSeed + (ulong)row * 0x9E3779B97F4A7C15UL);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (random.NextSingle() * 2f - 1f) * scale;
            }
        };
    };

    // FNV-1a: string.GetHashCode is randomised per process and would break reproducibility.
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
