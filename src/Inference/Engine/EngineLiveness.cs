namespace Engram.Inference.Engine;

/// <summary>
/// Whether the engine is making progress: every running generation must have heard from its backend within
/// the stall limit, and every load must finish within the load limit. A hung native call fails this.
/// </summary>
public sealed class EngineLiveness(ModelRegistry registry, TimeProvider time, TimeSpan stallLimit, TimeSpan loadLimit)
{
    /// <summary>What is stuck, or null when everything moves.</summary>
    public string? Stalled()
    {
        foreach (var slot in registry.Slots)
        {
            // A request given the model a moment ago has had no chance to produce anything yet: the quiet since an
            // earlier request's last token is not its stall.
            if (slot.Queue.RunningSince is { } since && !slot.PausedByClient
                && time.GetElapsedTime(Math.Max(since, slot.LastProgress)) is var silent && silent > stallLimit)
            {
                return $"model {slot.Profile.Name}: no progress from the {slot.Profile.Backend} backend for {silent.TotalSeconds:0} s";
            }
            if (slot.State is ModelState.Loading or ModelState.Validating && time.GetElapsedTime(slot.LastProgress) is var loading
                && loading > loadLimit)
            {
                return $"model {slot.Profile.Name}: still loading after {loading.TotalSeconds:0} s";
            }
        }
        return null;
    }
}
