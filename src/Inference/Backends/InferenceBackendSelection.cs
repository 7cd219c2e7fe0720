using Engram.Inference.Engine;

namespace Engram.Inference.Backends;

/// <summary>Which registered backend runs a profile.</summary>
public static class InferenceBackendSelection
{
    /// <summary>The backend the profile names; a platform failure when this daemon has none by that name.</summary>
    public static IInferenceBackend For(this IEnumerable<IInferenceBackend> backends, ModelProfile profile) =>
        backends.FirstOrDefault(b => b.Name.Equals(profile.Backend, StringComparison.OrdinalIgnoreCase))
        ?? throw new ModelLoadException(FailureClass.Platform, "backend_missing", $"backend '{profile.Backend}' is not available in this daemon",
            $"use one of: {string.Join(", ", backends.Select(b => b.Name))}");
}
