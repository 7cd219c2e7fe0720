namespace Engram.Inference.Engine;

/// <summary>Where a model is in its life: validated, loaded, serving, or failed.</summary>
public enum ModelState
{
    NotLoaded,
    Validating,
    Loading,
    Ready,
    Failed,
}
