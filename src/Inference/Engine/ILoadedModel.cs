namespace Engram.Inference.Engine;

/// <summary>A model in memory, ready to generate. The engine calls <see cref="GenerateAsync"/> for one request at a time.</summary>
public interface ILoadedModel : IAsyncDisposable
{
    /// <summary>The context window in effect, in tokens.</summary>
    int ContextLength { get; }

    /// <summary>
    /// The most UTF-8 bytes of content a prompt that fits the context can have (the context times the longest
    /// token): anything longer is refused before it is tokenized.
    /// </summary>
    long MaxPromptBytes { get; }

    /// <summary>What the native runtime reported about itself and the model at load, when it reports anything.</summary>
    RuntimeFacts? Runtime { get; }

    /// <summary>How much of the context (the KV cache) is in use now and at most so far, and what it holds.</summary>
    ContextUsage Context { get; }

    /// <summary>Applies the chat template when needed and counts the prompt's tokens.</summary>
    PreparedPrompt Prepare(PromptInput input);

    /// <summary>
    /// Runs one generation: a <see cref="PrefillCompleted"/>, then one <see cref="GeneratedToken"/> per token
    /// until end of generation, <paramref name="maxNewTokens"/>, a full context, or cancellation. Disposing the
    /// enumerator returns only once the native work has stopped, so the next request never overlaps it.
    /// </summary>
    IAsyncEnumerable<BackendEvent> GenerateAsync(
        PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens, CancellationToken cancellationToken);
}

/// <summary>
/// A prompt ready for a backend: the final text (after any template), its tokens, and whether a chat template
/// was applied (a raw prompt, or a model without a template, is used as given).
/// </summary>
public sealed record PreparedPrompt(string Text, IReadOnlyList<int> TokenIds, int? EstimatedTokens = null, bool ChatTemplateApplied = false)
{
    /// <summary>The conversation the prompt was made from (null for a raw prompt): a runtime that keeps its own history compares turns.</summary>
    public IReadOnlyList<ChatTurn>? Turns { get; init; }

    /// <summary>The prompt's tokens; an estimate for backends whose runtime tokenizes internally (RKLLM).</summary>
    public int TokenCount => EstimatedTokens ?? TokenIds.Count;
}

public abstract record BackendEvent;

/// <summary>
/// The prompt has been evaluated; <paramref name="Elapsed"/> is the backend's own measure. Of its
/// <paramref name="PromptTokens"/>, <paramref name="CachedTokens"/> were already in the KV cache and not evaluated again.
/// </summary>
public sealed record PrefillCompleted(int PromptTokens, TimeSpan Elapsed, int CachedTokens = 0) : BackendEvent;

/// <summary>One generated token: its bytes (possibly part of a character) or the end of generation.</summary>
public sealed record GeneratedToken(byte[] Bytes, bool IsEndOfGeneration) : BackendEvent;

/// <summary>
/// The runtime's own figures for the generation (RKLLM's perf result), which come after its end: they replace
/// the daemon's estimate of the prompt's tokens and its measure of the prefill in the final timings.
/// </summary>
public sealed record GenerationStatistics(int PromptTokens, TimeSpan Prefill, int GeneratedTokens, int CachedTokens = 0) : BackendEvent;

/// <summary>The context window is full; nothing more can be generated.</summary>
public sealed record ContextExhausted : BackendEvent;
