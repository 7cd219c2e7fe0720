namespace Engram.Bench;

public enum ExitCode
{
    Ok = 0,
    /// <summary>The benchmark ran but something failed (a target unreachable, a quality check failed).</summary>
    Failed = 1,
    /// <summary>Bad arguments or input files.</summary>
    Usage = 2,
}
