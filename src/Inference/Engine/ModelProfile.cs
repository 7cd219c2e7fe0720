namespace Engram.Inference.Engine;

/// <summary>A validated profile as the engine sees it: immutable, with every default resolved.</summary>
public sealed record ModelProfile
{
    public required string Name { get; init; }
    public required string ModelPath { get; init; }
    public required string Backend { get; init; }
    public required int MaxContextLen { get; init; }
    public required int DefaultMaxNewTokens { get; init; }
    public required int MaxNewTokens { get; init; }
    /// <summary>CPU threads for generation; 0 means one per CPU the engine may use (see <see cref="CpuAffinity"/>).</summary>
    public required int Threads { get; init; }

    /// <summary>llama: the CPUs the engine's threads are pinned to (auto: the big cores of a big.LITTLE machine).</summary>
    public CpuAffinity CpuAffinity { get; init; } = CpuAffinity.Auto;

    /// <summary>llama: threads for prompt evaluation (batches); 0 means the same as <see cref="Threads"/>.</summary>
    public int ThreadsBatch { get; init; }

    /// <summary>llama: tokens handed to llama_decode at once while prefilling (n_batch).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>llama: tokens llama.cpp computes per step inside a batch (n_ubatch); its compute buffer is sized for it.</summary>
    public int MicroBatchSize { get; init; } = 256;
    public required int QueueSize { get; init; }
    public required SamplingSettings DefaultSampling { get; init; }
    public required TimeSpan RequestTimeout { get; init; }

    public bool VerifyChecksum { get; init; } = true;

    /// <summary>Conversations whose KV cache the model keeps for reuse by a later request sharing their prefix; 0 turns reuse off.</summary>
    public int PromptCacheSlots { get; init; } = 4;

    /// <summary>The KV cache's types and flash attention (llama backend).</summary>
    public KvCacheSettings KvCache { get; init; } = KvCacheSettings.Default;

    /// <summary>llama: how the weights come into memory (mapped from the file by default).</summary>
    public ModelLoadMode LoadMode { get; init; } = ModelLoadMode.Mmap;

    /// <summary>Settings only the rkllm backend reads.</summary>
    public NpuSettings Npu { get; init; } = new(null, "auto", 0, 0, 1.1f, 0, 0);

    /// <summary>The profile that serves this one's new requests under pressure, if any.</summary>
    public string? Fallback { get; init; }

    /// <summary>True for the model the daemon writes itself when nothing is configured.</summary>
    public bool IsBuiltIn { get; init; }

    /// <summary>Plain words about the model for Health and the start-up log.</summary>
    public string Description { get; init; } = "";
}
