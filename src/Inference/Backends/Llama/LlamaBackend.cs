using Engram.Inference.Engine;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Engram.Inference.Backends.Llama;

/// <summary>llama.cpp on the CPU through LLamaSharp: the honest CPU baseline (the engine Ollama wraps).</summary>
public sealed class LlamaBackend : IInferenceBackend
{
    private readonly ILogger<LlamaBackend> _logger;
    private readonly IPlatformFacts _platform;

    public LlamaBackend(ILogger<LlamaBackend> logger, ILoggerFactory loggerFactory, IPlatformFacts platform, string? libraryDirectory = null)
    {
        _logger = logger;
        _platform = platform;
        if (LlamaNativeSetup.EnsureConfigured(loggerFactory.CreateLogger("Engram.Llama.Native"), libraryDirectory) is { } library)
        {
            LlamaLog.Library(logger, library);
        }
    }

    public string Name => BackendNames.Llama;

    /// <summary>
    /// Loads on the model's own native thread, pinned first when the profile's CPU affinity asks for it, so that every
    /// call into llama.cpp, and the compute threads it starts, come from that one thread.
    /// </summary>
    public async Task<ILoadedModel> LoadAsync(ModelProfile profile, CancellationToken cancellationToken)
    {
        var cpus = EngineCpus(profile);
        var threads = profile.Threads > 0 ? profile.Threads : cpus?.Count ?? Environment.ProcessorCount;
        var worker = NativeWorkerThread.ForEngine(BackendNames.Llama, profile.Name);
        try
        {
            var loaded = await worker.InvokeAsync(() =>
            {
                if (cpus is not null)
                {
                    CpuPinning.PinCurrentThread(cpus);
                }
                return Load(profile, threads, worker);
            });
            LlamaLog.Loaded(_logger, profile.Name, threads, cpus is null ? "any CPU" : $"cpu{CpuAffinity.Describe(cpus)}", profile.LoadMode switch
            {
                ModelLoadMode.Mlock => "mapped from the file and locked in memory",
                ModelLoadMode.Read => "read into memory",
                _ => "mapped from the file",
            });
            return loaded;
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    public IReadOnlyList<int>? EngineCpus(ModelProfile profile) =>
        profile.CpuAffinity.Resolve(_platform.BigCores, Environment.ProcessorCount, profile.Threads);

    private LlamaLoadedModel Load(ModelProfile profile, int threads, NativeWorkerThread worker)
    {
        if (!File.Exists(profile.ModelPath))
        {
            throw new ModelLoadException(FailureClass.Artifact, "missing", $"model file {profile.ModelPath} does not exist",
                "check the profile's model path, or download the model again");
        }
        var sequences = Math.Max(1, profile.PromptCacheSlots);
        var parameters = new ModelParams(profile.ModelPath)
        {
            ContextSize = (uint)profile.MaxContextLen,
            Threads = threads,
            BatchThreads = profile.ThreadsBatch > 0 ? profile.ThreadsBatch : threads,
            BatchSize = (uint)profile.BatchSize,
            UBatchSize = (uint)Math.Min(profile.MicroBatchSize, profile.BatchSize),
            GpuLayerCount = 0,
            // Spelled out: LLamaSharp's ModelParams leaves it at None, which reads the whole file into the process's
            // own memory (a private copy beside the page cache's, loaded in full before the first token).
            LoadMode = profile.LoadMode switch
            {
                ModelLoadMode.Mlock => LLamaLoadMode.MemoryMapAndLock,
                ModelLoadMode.Read => LLamaLoadMode.None,
                _ => LLamaLoadMode.MemoryMap,
            },
            // Cached conversations are sequences sharing one pool of cells: a shared prefix is held once.
            SeqMax = (uint)sequences,
            KVUnified = true,
            TypeK = ToGgml(profile.KvCache.KeyType),
            TypeV = ToGgml(profile.KvCache.ValueType),
            FlashAttention = profile.KvCache.FlashAttention switch
            {
                FlashAttentionMode.On => true,
                FlashAttentionMode.Off => false,
                // llama.cpp quantizes V only with flash attention; left to itself it would decide per device.
                _ => profile.KvCache.ValueType != KvCacheType.F16 ? true : null,
            },
        };
        LLamaWeights? weights = null;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
            var context = weights.CreateContext(parameters);
            _logger.LogDebug("llama.cpp loaded {Path}: {Parameters} parameters, context {Context}",
                profile.ModelPath, weights.ParameterCount, context.ContextSize);
            var cache = new PromptCache(profile.PromptCacheSlots, (int)context.ContextSize, new LlamaKvSequences(context.NativeHandle));
            return new LlamaLoadedModel(worker, weights, context, profile.MaxContextLen, profile.BatchSize, cache);
        }
        catch (Exception ex) when (ex is not ModelLoadException)
        {
            weights?.Dispose();
            throw new ModelLoadException(FailureClass.Runtime, "native_error", $"llama.cpp could not load {profile.ModelPath}: {ex.Message}",
                "check that the file is a complete GGUF model for an architecture this llama.cpp supports", ex);
        }
    }

    private static GGMLType ToGgml(KvCacheType type) => type switch
    {
        KvCacheType.Q8_0 => GGMLType.GGML_TYPE_Q8_0,
        KvCacheType.Q4_0 => GGMLType.GGML_TYPE_Q4_0,
        _ => GGMLType.GGML_TYPE_F16,
    };
}
