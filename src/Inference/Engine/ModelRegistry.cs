using Engram.Inference.Engine.Pressure;

namespace Engram.Inference.Engine;

/// <summary>Every model slot this daemon has, one per profile, and which one is the default.</summary>
public sealed class ModelRegistry
{
    public ModelRegistry(ProfileCatalog catalog, TimeProvider time)
    {
        Slots = catalog.Profiles.Select(p => new ModelSlot(p, time)).ToArray();
        Default = Find(catalog.DefaultProfile)!;
    }

    public IReadOnlyList<ModelSlot> Slots { get; }

    public ModelSlot Default { get; }

    /// <summary>The slot for a profile name (case-insensitive); the default for an empty name; null if unknown.</summary>
    public ModelSlot? Find(string? name) => string.IsNullOrEmpty(name)
        ? Default
        : Slots.FirstOrDefault(s => string.Equals(s.Profile.Name, name, StringComparison.OrdinalIgnoreCase));

    public int QueueDepth => Slots.Sum(s => s.Queue.Depth);

    /// <summary>
    /// The slot that serves a request for <paramref name="requested"/>: its fallback while the board is under
    /// pressure and the fallback is ready, otherwise the requested slot (which then queues as usual).
    /// </summary>
    public (ModelSlot Slot, string? FallbackReason) Route(ModelSlot requested, PressureStatus pressure)
    {
        if (pressure.UnderPressure && Find(requested.Profile.Fallback) is { State: ModelState.Ready } fallback && fallback != requested)
        {
            return (fallback, $"pressure ({pressure.Reason}): served by fallback profile '{fallback.Profile.Name}'");
        }
        return (requested, null);
    }

    /// <summary>The profile the default model's requests go to now.</summary>
    public string ActiveProfile(PressureStatus pressure) => Route(Default, pressure).Slot.Profile.Name;
}
