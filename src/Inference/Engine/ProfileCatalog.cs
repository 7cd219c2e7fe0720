namespace Engram.Inference.Engine;

/// <summary>The profiles this daemon serves and which one is the default.</summary>
public sealed class ProfileCatalog(IReadOnlyList<ModelProfile> profiles, string defaultProfile)
{
    public IReadOnlyList<ModelProfile> Profiles { get; } = profiles;

    public string DefaultProfile { get; } = defaultProfile;

    /// <summary>Runtime libraries the rkllm profiles name (the platform probe checks they exist).</summary>
    public IReadOnlyList<string> RkllmLibraries =>
        Profiles.Where(p => p.Backend == BackendNames.Rkllm && p.Npu.Library is not null).Select(p => p.Npu.Library!).Distinct().ToArray();

    /// <summary>True when a profile runs on the NPU, so its platform checks are failures rather than notes.</summary>
    public bool NeedsNpu => Profiles.Any(p => p.Backend == BackendNames.Rkllm);
}
