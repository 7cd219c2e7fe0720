namespace Engram.InferenceDaemon.Hosting;

/// <summary>The daemon's exit codes; systemd and scripts tell failures apart by them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Something failed at run time (e.g. the demo's model did not load).</summary>
    public const int Failure = 1;
    /// <summary>The command line was not understood.</summary>
    public const int Usage = 64;
    /// <summary>The configuration is invalid or the endpoint cannot be bound.</summary>
    public const int Configuration = 78;
}
