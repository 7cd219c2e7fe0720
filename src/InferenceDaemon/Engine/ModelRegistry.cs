namespace Engram.InferenceDaemon.Engine;

/// <summary>Every model slot this daemon has, one per profile, and which one is the default.</summary>
public sealed class ModelRegistry
{
    public ModelRegistry(ProfileCatalog catalog)
    {
        Slots = catalog.Profiles.Select(p => new ModelSlot(p)).ToArray();
        Default = Find(catalog.DefaultProfile)!;
    }

    public IReadOnlyList<ModelSlot> Slots { get; }

    public ModelSlot Default { get; }

    /// <summary>The slot for a profile name (case-insensitive); the default for an empty name; null if unknown.</summary>
    public ModelSlot? Find(string? name) => string.IsNullOrEmpty(name)
        ? Default
        : Slots.FirstOrDefault(s => string.Equals(s.Profile.Name, name, StringComparison.OrdinalIgnoreCase));

    public int QueueDepth => Slots.Sum(s => s.Queue.Depth);
}
