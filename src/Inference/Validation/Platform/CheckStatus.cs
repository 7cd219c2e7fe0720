using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One platform check: what was looked at, what was seen, and what to do about it.</summary>
public sealed record PlatformCheck(string Name, CheckStatus Status, string Value, string Remedy = "")
{
    public static PlatformCheck Pass(string name, string value) => new(name, CheckStatus.Pass, value);
    public static PlatformCheck Warn(string name, string value, string remedy) => new(name, CheckStatus.Warn, value, remedy);
    public static PlatformCheck Fail(string name, string value, string remedy) => new(name, CheckStatus.Fail, value, remedy);
}

/// <summary>Every platform check, read from one root.</summary>
public sealed record PlatformReport(string Root, IReadOnlyList<PlatformCheck> Checks)
{
    public PlatformCheck? Find(string name) => Checks.FirstOrDefault(c => c.Name == name);
}
