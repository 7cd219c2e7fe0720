namespace Engram.InferenceDaemon.Hosting;

/// <summary>The daemon's exit codes; systemd and scripts tell failures apart by them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Something failed at run time (e.g. the demo's model did not load).</summary>
    public const int Failure = 1;
    /// <summary><c>check</c>: a model file is missing, empty, truncated, corrupt, for another chip or unsupported.</summary>
    public const int ArtifactFailure = 10;
    /// <summary><c>check</c>: the machine cannot run it (SoC, NPU driver, runtime library, memory).</summary>
    public const int PlatformFailure = 11;
    /// <summary><c>check</c>: the native runtime failed to load a valid model.</summary>
    public const int RuntimeFailure = 12;
    /// <summary>The command line was not understood.</summary>
    public const int Usage = 64;
    /// <summary>The configuration is invalid or the endpoint cannot be bound.</summary>
    public const int Configuration = 78;
}
