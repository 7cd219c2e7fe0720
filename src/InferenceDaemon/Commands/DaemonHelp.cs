namespace Engram.InferenceDaemon.Commands;

/// <summary>What <c>engram-daemon --help</c> says beyond the generated list of commands and options.</summary>
internal static class DaemonHelp
{
    public const string Description = """
        engram-daemon: serves LLM tokens over server-streaming gRPC (engram.v1) from the RK3588 NPU (RKLLM runtime)
        or llama.cpp on the CPU, one generation at a time per model behind a bounded queue, with GetHealth,
        grpc.health.v1 and reflection. Default endpoint 127.0.0.1:50051.

        Configuration: appsettings.json beside the binary, then $ENGRAM_CONFIG, then environment variables
        (Engram__profiles__NAME__model=...), then the command line: the switches below, or any key as
        --Engram:KEY=VALUE (e.g. --Engram:profiles:small:max_context_len=1024). A profile has: model, backend,
        max_context_len, default_max_new_tokens, max_new_tokens, threads, queue_size, temperature, top_k, top_p,
        request_timeout_seconds. With no profile and no --model the daemon serves its built-in tiny chat model
        (models/engram-tiny-chat.gguf beside the binary): it answers additions ("What is 2+2?"), greetings and
        routing labels, and says it knows nothing else.

        Exit codes: 0 stopped, 1 failed at run time, 10/11/12 check found an artifact/platform/runtime failure,
        64 usage, 78 configuration or endpoint problem (systemd does not restart into it).

        Try it:  grpcurl -plaintext 127.0.0.1:50051 list
                 grpcurl -plaintext -d '{"prompt":"What is 2+2?"}' 127.0.0.1:50051 engram.v1.Inference/Generate
        """;
}
