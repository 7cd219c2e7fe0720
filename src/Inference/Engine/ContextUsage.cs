namespace Engram.Inference.Engine;

/// <summary>
/// A loaded model's context as an operator sees it: KV cells in use now and at the most so far (of
/// <paramref name="Capacity"/>), and how many conversations it holds for reuse.
/// </summary>
public sealed record ContextUsage(int CellsInUse, int PeakCells, int Capacity, int CachedSequences)
{
    public static ContextUsage Empty(int capacity) => new(0, 0, capacity, 0);

    public double UsageRatio => Capacity > 0 ? (double)CellsInUse / Capacity : 0;
}
