using Microsoft.Extensions.Configuration;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>The daemon's configuration, section <c>Engram</c> (appsettings.json, <c>Engram__*</c> environment, command line).</summary>
public sealed class DaemonOptions
{
    public const string Section = "Engram";
    public const string DefaultListen = "127.0.0.1:50051";

    /// <summary>HOST:PORT of the gRPC endpoint (HTTP/2 cleartext). Default 127.0.0.1:50051; port 0 picks a free port.</summary>
    [ConfigurationKeyName("listen")]
    public string Listen { get; set; } = DefaultListen;

    /// <summary>The profile a request without <c>model</c> goes to. Optional when there is one profile.</summary>
    [ConfigurationKeyName("default_model")]
    public string? DefaultModel { get; set; }

    /// <summary><c>--model PATH</c>: shortcut for a profile named <c>default</c> with this model file.</summary>
    [ConfigurationKeyName("model")]
    public string? Model { get; set; }

    /// <summary><c>--rkllm-lib</c>: the runtime library of the <c>--model</c> shortcut profile (rkllm backend).</summary>
    [ConfigurationKeyName("rkllm_lib")]
    public string? RkllmLib { get; set; }

    /// <summary><c>--backend</c>: the backend of the <c>--model</c> shortcut profile.</summary>
    [ConfigurationKeyName("backend")]
    public string? Backend { get; set; }

    /// <summary>Where the daemon writes files it can make again (the built-in model). Default $XDG_CACHE_HOME/engram or ~/.cache/engram.</summary>
    [ConfigurationKeyName("cache_dir")]
    public string? CacheDirectory { get; set; }

    /// <summary>Root of the file tree the platform probe reads (device tree, sysfs, procfs). Default <c>/</c>; tests use a fake tree.</summary>
    [ConfigurationKeyName("platform_root")]
    public string PlatformRoot { get; set; } = "/";

    /// <summary>Pressure thresholds that move new requests to fallback profiles.</summary>
    [ConfigurationKeyName("pressure")]
    public PressureOptions Pressure { get; set; } = new();

    /// <summary>Model profiles by name. With none and no <c>--model</c>, the daemon serves its built-in model.</summary>
    [ConfigurationKeyName("profiles")]
    public Dictionary<string, ProfileOptions> Profiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
