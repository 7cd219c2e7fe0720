namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// The daemon's command line: a verb (<c>serve</c>, the default, or <c>demo</c>), the short switches
/// operators type, and any <c>--Engram:key=value</c> configuration override. Everything else is an error
/// rather than silently ignored.
/// </summary>
public sealed record DaemonCommandLine(string Verb, IReadOnlyList<string> ConfigurationArgs, IReadOnlyList<string> Operands, bool Help, string? Error)
{
    /// <summary>Flags of the verb (e.g. <c>--json</c> for <c>check</c>).</summary>
    public IReadOnlySet<string> Flags { get; init; } = new HashSet<string>();

    /// <summary>Short switches and the configuration keys they set (the standard .NET switch mappings).</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--listen"] = "Engram:listen",
        ["--model"] = "Engram:model",
        ["--backend"] = "Engram:backend",
        ["--default-model"] = "Engram:default_model",
        ["--root"] = "Engram:platform_root",
        ["--rkllm-lib"] = "Engram:rkllm_lib",
        ["--metrics"] = "Engram:metrics",
    };

    public const string HelpText = """
        engram-daemon: serves LLM tokens over server-streaming gRPC (engram.v1) from llama.cpp (CPU).

        Usage:
          engram-daemon [serve] [options]        run the daemon
          engram-daemon demo [PROMPT] [options]  start the daemon on a free loopback port, stream one answer
                                                 through gRPC to this console, and stop (default prompt:
                                                 "What is 2+2?")
          engram-daemon check [--json] [--no-load] [options]
                                                 validate the platform and every configured model (or --model)
                                                 as the daemon would, then load each; exit code 0 ok,
                                                 10 artifact, 11 platform, 12 runtime failure

        Options:
          --listen HOST:PORT     gRPC endpoint, HTTP/2 cleartext (default 127.0.0.1:50051; port 0 = any free port)
          --model PATH           serve this GGUF file as the profile "default"
          --backend NAME         backend of --model: llama (default) or rkllm (the RK3588 NPU)
          --rkllm-lib PATH       librkllmrt.so for --backend rkllm (default: /usr/lib/librkllmrt.so)
          --default-model NAME   profile used by requests that name no model
          --metrics HOST:PORT    serve Prometheus metrics at http://HOST:PORT/metrics (off by default)
          --insecure             allow listening beyond loopback without TLS and a token (logged as a warning)
          --root DIR             file tree the platform checks read (default /; a fake tree for tests)
          --Engram:KEY=VALUE     any configuration key, e.g. --Engram:profiles:small:max_context_len=1024
          -h, --help             show this help

        Configuration: appsettings.json beside the binary, then environment variables (Engram__profiles__NAME__model=...),
        then the command line. A profile has: model, backend, max_context_len, default_max_new_tokens,
        max_new_tokens, threads, queue_size, temperature, top_k, top_p, request_timeout_seconds.
        With no profile and no --model the daemon serves its built-in tiny chat model (models/engram-tiny-chat.gguf beside
        the binary): it answers additions ("What is 2+2?"), greetings and routing labels, and says it knows nothing else.

        Try it:  grpcurl -plaintext 127.0.0.1:50051 list
                 grpcurl -plaintext -d '{"prompt":"Hello","max_new_tokens":16}' 127.0.0.1:50051 engram.v1.Inference/Generate
        """;

    public static DaemonCommandLine Parse(IReadOnlyList<string> args)
    {
        var verb = "serve";
        var start = 0;
        if (args.Count > 0 && args[0] is "serve" or "demo" or "check")
        {
            verb = args[0];
            start = 1;
        }
        var configuration = new List<string>();
        var operands = new List<string>();
        var help = false;
        var flags = new HashSet<string>();
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                help = true;
                continue;
            }
            if (arg == "--insecure")
            {
                configuration.Add("--Engram:insecure=true");
                continue;
            }
            if (!arg.StartsWith('-'))
            {
                if (verb != "demo")
                {
                    return Fail(verb, $"unexpected argument '{arg}'");
                }
                operands.Add(arg);
                continue;
            }
            if (verb == "check" && arg is "--json" or "--no-load")
            {
                flags.Add(arg);
                continue;
            }
            var name = arg.Split('=', 2)[0];
            var isConfigurationKey = name.StartsWith("--Engram:", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("--Logging:", StringComparison.OrdinalIgnoreCase);
            if (!SwitchMappings.ContainsKey(name) && !isConfigurationKey)
            {
                return Fail(verb, $"unknown option '{name}'");
            }
            configuration.Add(arg);
            if (!arg.Contains('='))
            {
                if (i + 1 >= args.Count)
                {
                    return Fail(verb, $"option '{name}' needs a value");
                }
                configuration.Add(args[++i]);
            }
        }
        return new DaemonCommandLine(verb, configuration, operands, help, null) { Flags = flags };
    }

    private static DaemonCommandLine Fail(string verb, string error) => new(verb, [], [], false, error);
}
