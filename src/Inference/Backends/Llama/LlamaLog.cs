namespace Engram.Inference.Backends.Llama;

/// <summary>Log messages of the llama.cpp backend (event ids 2100-2199).</summary>
internal static partial class LlamaLog
{
    [LoggerMessage(2100, LogLevel.Information, "model {Model}: llama.cpp ready, {Threads} threads on {Cpus}, weights {Weights}", EventName = "LlamaReady")]
    public static partial void Loaded(ILogger logger, string model, int threads, string cpus, string weights);

    [LoggerMessage(2101, LogLevel.Information, "llama.cpp library: {Library}", EventName = "LlamaLibrary")]
    public static partial void Library(ILogger logger, string library);
}
