using System.CommandLine;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// The switches operators type, shared by <c>serve</c>, <c>demo</c> and <c>check</c>. Each is a shortcut for a
/// configuration key; <see cref="ConfigurationArgs"/> turns what was given into <c>--Engram:key=value</c> arguments.
/// </summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Listen = Switch("--listen", "HOST:PORT",
        "gRPC endpoint, HTTP/2 (default 127.0.0.1:50051; port 0 = any free port; unix:/path/daemon.sock for a unix socket)");
    public static readonly Option<string?> Model = Switch("--model", "PATH", "serve this model file as the profile \"default\"");
    public static readonly Option<string?> Backend = Switch("--backend", "NAME", "backend of --model: llama (default, llama.cpp on the CPU) or rkllm (the RK3588 NPU)");
    public static readonly Option<string?> RkllmLib = Switch("--rkllm-lib", "PATH", "librkllmrt.so for --backend rkllm (default: /usr/lib/librkllmrt.so)");
    public static readonly Option<string?> DefaultModel = Switch("--default-model", "NAME", "profile used by requests that name no model");
    public static readonly Option<string?> Metrics = Switch("--metrics", "HOST:PORT", "serve Prometheus metrics at http://HOST:PORT/metrics (off by default)");
    public static readonly Option<string?> OpenAi = Switch("--openai", "HOST:PORT",
        "also serve the OpenAI-compatible HTTP API there: /v1/chat/completions, /v1/completions, /v1/models (off by default)");
    public static readonly Option<string?> Root = Switch("--root", "DIR", "file tree the platform checks read (default /; a fake tree for tests)");
    public static readonly Option<bool> Insecure = new("--insecure")
    {
        Description = "allow listening beyond loopback without TLS and a token (logged as a warning)",
        Recursive = true,
    };

    /// <summary>Each switch and the configuration key it sets.</summary>
    private static readonly (Option<string?> Option, string Key)[] Keys =
    [
        (Listen, "listen"), (Model, "model"), (Backend, "backend"), (RkllmLib, "rkllm_lib"), (DefaultModel, "default_model"),
        (Metrics, "metrics"), (OpenAi, "openai_listen"), (Root, "platform_root"),
    ];

    public static IEnumerable<Option> All => Keys.Select(k => (Option)k.Option).Append(Insecure);

    /// <summary>The switches given on this command line as configuration arguments, followed by the raw overrides.</summary>
    public static string[] ConfigurationArgs(ParseResult parse, IEnumerable<string> overrides)
    {
        var args = new List<string>();
        foreach (var (option, key) in Keys)
        {
            if (parse.GetValue(option) is { } value)
            {
                args.Add($"--Engram:{key}={value}");
            }
        }
        if (parse.GetValue(Insecure))
        {
            args.Add("--Engram:insecure=true");
        }
        args.AddRange(overrides); // last, so an explicit key wins over its shortcut
        return args.ToArray();
    }

    private static Option<string?> Switch(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Recursive = true,
    };
}
