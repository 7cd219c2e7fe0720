using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Validation;
using Engram.InferenceDaemon.Validation.Platform;

namespace Engram.InferenceDaemon.Health;

/// <summary>The latest platform report, refreshed at start and by the pressure monitor; read by Health.</summary>
public sealed class PlatformState(ModelValidator validator, ProfileCatalog catalog)
{
    private volatile PlatformReport _report = new(validator.Probe.Root.Path, []);

    public PlatformReport Report => _report;

    public PlatformRoot Root => validator.Probe.Root;

    public bool NpuRequired { get; } = catalog.Profiles.Any(p => p.Backend == "rkllm");

    public PlatformReport Refresh() => _report = validator.Probe.Run(NpuRequired);
}
