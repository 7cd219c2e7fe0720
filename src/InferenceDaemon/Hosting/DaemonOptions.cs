using System.ComponentModel.DataAnnotations;
using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>The daemon's configuration, section <c>Engram</c> (appsettings.json, <c>Engram__*</c> environment, command line).</summary>
public sealed class DaemonOptions
{
    public const string Section = "Engram";
    public const string DefaultListen = "127.0.0.1:50051";

    /// <summary>
    /// HOST:PORT of the gRPC endpoint, or <c>unix:/path/daemon.sock</c>. Default 127.0.0.1:50051; port 0 picks a free port.
    /// Anything but loopback or a unix socket needs TLS and a bearer token (or <c>--insecure</c>).
    /// </summary>
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

    /// <summary>
    /// A directory with a llama.cpp built on the board (libllama.so and its libggml*.so, from the same commit as
    /// LLamaSharp 0.30.0: 815a2a59) to use instead of the packaged build. Default: the packaged build.
    /// </summary>
    [ConfigurationKeyName("llama_lib_dir")]
    public string? LlamaLibraryDirectory { get; set; }

    /// <summary>
    /// Where the daemon's own threads (gRPC, HTTP, the thread pool, timers, logging) run: <c>auto</c> (default) keeps
    /// them on the CPUs no engine is pinned to, when every engine is pinned and some CPUs are left (the little cores
    /// of an RK3588 while llama.cpp has the big ones); <c>none</c> leaves them to the scheduler; a list names the CPUs.
    /// </summary>
    [ConfigurationKeyName("daemon_cpu_affinity")]
    public string DaemonCpuAffinity { get; set; } = "auto";

    /// <summary>The parsed <see cref="DaemonCpuAffinity"/>; adds to <paramref name="errors"/> when it is not auto, none or a CPU list.</summary>
    public CpuAffinity ResolveDaemonCpuAffinity(List<string> errors)
    {
        if (CpuAffinity.TryParse(DaemonCpuAffinity, out var affinity, out var error))
        {
            return affinity;
        }
        errors.Add($"Engram:daemon_cpu_affinity {error}");
        return CpuAffinity.Auto;
    }

    /// <summary>Log each request's prompt and output text (off by default: conversations stay out of the journal).</summary>
    [ConfigurationKeyName("log_prompts")]
    public bool LogPrompts { get; set; }

    /// <summary>
    /// <c>--openai HOST:PORT</c>: serve the OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions,
    /// /v1/models) there, a second door into the same engine. Off by default. The gRPC listener's rules apply:
    /// beyond loopback it needs TLS (the same certificate) and the bearer token, or --insecure.
    /// </summary>
    [ConfigurationKeyName("openai_listen")]
    public string? OpenAiListen { get; set; }

    /// <summary><c>--metrics HOST:PORT</c>: serve Prometheus metrics at http://HOST:PORT/metrics. Off by default.</summary>
    [ConfigurationKeyName("metrics")]
    public string? Metrics { get; set; }

    /// <summary>
    /// A metrics address beyond loopback is refused unless this is true: metrics name the models and reveal load.
    /// Warned about at every start. Default false.
    /// </summary>
    [ConfigurationKeyName("metrics_public")]
    public bool MetricsPublic { get; set; }

    /// <summary>Metrics answer only requests carrying the bearer token (<c>auth_token</c>). Default false.</summary>
    [ConfigurationKeyName("metrics_requires_token")]
    public bool MetricsRequiresToken { get; set; }

    /// <summary>Permissions of a <c>unix:</c> socket (octal), so the bot's group can connect. Default 0660.</summary>
    [ConfigurationKeyName("unix_socket_mode")]
    public string UnixSocketMode { get; set; } = "0660";

    /// <summary>On SIGTERM, how long running generations may continue before they are ended with a final message. Default 5 s.</summary>
    [ConfigurationKeyName("shutdown_grace_seconds"), Range(0, 300)]
    public int ShutdownGraceSeconds { get; set; } = 5;

    /// <summary>PEM certificate for TLS (with <see cref="TlsKey"/>); required for non-loopback listeners.</summary>
    [ConfigurationKeyName("tls_certificate")]
    public string? TlsCertificate { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertificate"/>.</summary>
    [ConfigurationKeyName("tls_key")]
    public string? TlsKey { get; set; }

    /// <summary>Bearer token every call must carry (set it through the environment, Engram__auth_token, never a checked-in file).</summary>
    [ConfigurationKeyName("auth_token")]
    public string? AuthToken { get; set; }

    /// <summary>
    /// Whether grpc.health.v1 (Check, Watch) also needs the bearer token. Default false: load balancers and probes
    /// that cannot send headers can see liveness; reflection and engram.v1 always need the token when one is set.
    /// </summary>
    [ConfigurationKeyName("health_requires_token")]
    public bool HealthRequiresToken { get; set; }

    /// <summary>A file holding the bearer token (e.g. a systemd credential).</summary>
    [ConfigurationKeyName("auth_token_file")]
    public string? AuthTokenFile { get; set; }

    /// <summary><c>--insecure</c>: allow a non-loopback listener without TLS and token. Logged as a warning at every start.</summary>
    [ConfigurationKeyName("insecure")]
    public bool Insecure { get; set; }

    /// <summary>The bearer token from <see cref="AuthToken"/> or <see cref="AuthTokenFile"/>, if any.</summary>
    public string? ResolveAuthToken() => AuthToken is { Length: > 0 } token ? token
        : AuthTokenFile is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file).Trim() : null;

    /// <summary>Where crash records and restart counts live. Default $STATE_DIRECTORY (systemd), else $XDG_STATE_HOME/engram or ~/.local/state/engram.</summary>
    [ConfigurationKeyName("state_dir")]
    public string? StateDirectory { get; set; }

    /// <summary>A generation whose backend produces nothing for this long counts as hung: the systemd watchdog is no longer pinged. Default 120.</summary>
    [ConfigurationKeyName("stall_timeout_seconds"), Range(1, 86_400)]
    public int StallTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// A client that takes no message for this long loses its generation (finish reason cancelled, logged with its
    /// address) and the model moves on to the next request. Default 5 s.
    /// </summary>
    [ConfigurationKeyName("write_stall_seconds"), Range(1, 300)]
    public int WriteStallSeconds { get; set; } = 5;

    /// <summary>The largest request message the gRPC server reads (bytes); larger ones are refused before they are parsed. Default 1 MiB.</summary>
    [ConfigurationKeyName("max_request_bytes"), Range(1024, 64 << 20)]
    public int MaxRequestBytes { get; set; } = 1 << 20;

    /// <summary>The most chat messages a request may carry (never more than the model's context has tokens). Default 1024.</summary>
    [ConfigurationKeyName("max_messages"), Range(1, 100_000)]
    public int MaxMessages { get; set; } = GenerationLimits.DefaultMaxMessages;

    /// <summary>A model still loading after this long counts as hung. Default 900.</summary>
    [ConfigurationKeyName("load_timeout_seconds"), Range(1, 86_400)]
    public int LoadTimeoutSeconds { get; set; } = 900;

    public string ResolveStateDirectory()
    {
        if (StateDirectory is { Length: > 0 } configured)
        {
            return configured;
        }
        if (Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } systemd)
        {
            return systemd.Split(':')[0];
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"), "engram");
    }

    /// <summary>Root of the file tree the platform probe reads (device tree, sysfs, procfs). Default <c>/</c>; tests use a fake tree.</summary>
    [ConfigurationKeyName("platform_root")]
    public string PlatformRoot { get; set; } = "/";

    /// <summary>Pressure thresholds that move new requests to fallback profiles.</summary>
    [ConfigurationKeyName("pressure"), ValidateObjectMembers]
    public PressureOptions Pressure { get; set; } = new();

    /// <summary>Model profiles by name. With none and no <c>--model</c>, the daemon serves its built-in model.</summary>
    [ConfigurationKeyName("profiles")]
    public Dictionary<string, ProfileOptions> Profiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
