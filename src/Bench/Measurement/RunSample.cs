namespace Engram.Bench.Measurement;

/// <summary>
/// One measured generation. Decode and prefill rates are the engine's own (llama.cpp/RKLLM step timings,
/// Ollama's eval stats), never wall-clock divided by tokens; load time is kept apart and never mixed in.
/// </summary>
public sealed record RunSample
{
    public required string Target { get; init; }
    public required string Prompt { get; init; }
    public int Run { get; init; }
    public double TimeToFirstTokenMs { get; init; }
    public double PrefillTokensPerSecond { get; init; }
    public double DecodeTokensPerSecond { get; init; }
    public double EndToEndMs { get; init; }
    public int PromptTokens { get; init; }
    public int GeneratedTokens { get; init; }
    /// <summary>Model load time reported with this run (Ollama loads lazily); 0 when the model was already loaded.</summary>
    public double LoadMs { get; init; }
    public string Text { get; init; } = "";
    public bool? QualityPassed { get; init; }
    public string? Error { get; init; }
}
