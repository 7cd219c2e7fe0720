namespace Engram.InferenceDaemon.Engine;

/// <summary>The profiles this daemon serves and which one is the default.</summary>
public sealed class ProfileCatalog(IReadOnlyList<ModelProfile> profiles, string defaultProfile)
{
    public IReadOnlyList<ModelProfile> Profiles { get; } = profiles;

    public string DefaultProfile { get; } = defaultProfile;

    /// <summary>Runtime libraries the rkllm profiles name (the platform probe checks they exist).</summary>
    public IReadOnlyList<string> RkllmLibraries { get; init; } = [];

    /// <summary>The profile named <paramref name="name"/> (case-insensitive), or the default for an empty name.</summary>
    public ModelProfile? Find(string? name)
    {
        var wanted = string.IsNullOrEmpty(name) ? DefaultProfile : name;
        return Profiles.FirstOrDefault(p => string.Equals(p.Name, wanted, StringComparison.OrdinalIgnoreCase));
    }
}
