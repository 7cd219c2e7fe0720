using Engram.Inference.Engine;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Platform;

namespace Engram.Inference.Health;

/// <summary>
/// The latest platform report, probed at first use and refreshed when the models load; read by Health, and
/// handed to backends as the platform facts they need (the SoC family, the big cores).
/// </summary>
public sealed class PlatformState(ModelValidator validator, ProfileCatalog catalog) : IPlatformFacts
{
    private volatile PlatformReport? _report;

    public PlatformReport Report => _report ?? Refresh();

    public PlatformRoot Root => validator.Probe.Root;

    public bool NpuRequired { get; } = catalog.NeedsNpu;

    public PlatformReport Refresh() => _report = validator.Probe.Run(NpuRequired);

    public string? SocFamily => SocCheck.FamilyOf(Report.Find(SocCheck.CheckName) is { Status: CheckStatus.Pass } soc ? soc.Value : null);

    public IReadOnlyList<int> BigCores => BigCoreCheck.BigCores(Root);
}
