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
            var quiet = time.GetElapsedTime(slot.LastProgress);
            if (slot.Queue.IsBusy && !slot.PausedByClient && quiet > stallLimit)
            {
                return $"model {slot.Profile.Name}: no progress from the {slot.Profile.Backend} backend for {quiet.TotalSeconds:0} s";
            }
            if (slot.State is ModelState.Loading or ModelState.Validating && quiet > loadLimit)
            {
                return $"model {slot.Profile.Name}: still loading after {quiet.TotalSeconds:0} s";
            }
        }
        return null;
    }
}
