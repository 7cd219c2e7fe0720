using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;

namespace Engram.Inference.Lifecycle;

/// <summary>What an inference engine is put together from: validated, resolved settings (never raw configuration).</summary>
public sealed record InferenceEngineOptions
{
    /// <summary>The profiles to serve and the default among them.</summary>
    public required ProfileCatalog Catalog { get; init; }

    /// <summary>Where crash records and restart counts live.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Root of the file tree the platform probe reads: <c>/</c> on a board, a fake tree in tests.</summary>
    public string PlatformRoot { get; init; } = "/";

    /// <summary>A board-built llama.cpp (libllama.so and its libggml*.so) instead of the packaged one; null for the packaged build.</summary>
    public string? LlamaLibraryDirectory { get; init; }

    /// <summary>A generation whose backend produces nothing for this long counts as hung.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A model still validating or loading after this long counts as hung.</summary>
    public TimeSpan LoadTimeout { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>On shutdown, how long running generations may go on before they are ended with a final message.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Thresholds that move new requests to fallback profiles.</summary>
    public PressureOptions Pressure { get; init; } = new();

    /// <summary>The engine's bounds that are not per profile (write stall, message count, tokenizing concurrency).</summary>
    public GenerationLimits Limits { get; init; } = GenerationLimits.Default;

    /// <summary>Where the process's own threads run (<see cref="DaemonThreadCpus"/>): auto, none or a list.</summary>
    public CpuAffinity DaemonCpuAffinity { get; init; } = CpuAffinity.Auto;

    /// <summary>Log each request's prompt and output (off by default: conversations stay out of the journal).</summary>
    public bool LogPrompts { get; init; }
}
