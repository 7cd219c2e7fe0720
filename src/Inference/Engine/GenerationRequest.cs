namespace Engram.Inference.Engine;

/// <summary>One chat turn given to the model's chat template.</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// What the model is asked: chat turns, or a prompt. A prompt goes through the chat template as one user turn
/// (Ollama's /api/generate convention) unless <paramref name="Raw"/>, when it goes to the model exactly as given.
/// </summary>
public sealed record PromptInput(string Prompt, IReadOnlyList<ChatTurn> Messages, bool Raw = false)
{
    public bool IsChat => Messages.Count > 0;

    /// <summary>True when the chat template should be applied (chat turns, or a prompt that is not raw).</summary>
    public bool UsesTemplate => IsChat || !Raw;

    /// <summary>The turns for the chat template: the messages, or the prompt as one user turn.</summary>
    public IReadOnlyList<ChatTurn> Turns => IsChat ? Messages : [new ChatTurn("user", Prompt)];

    /// <summary>The input as the caller wrote it (for the prompt log): the prompt, or one "role: content" line per turn.</summary>
    public string AsWritten => IsChat ? string.Join("\n", Messages.Select(m => $"{m.Role}: {m.Content}")) : Prompt;
}

/// <summary>A generation request as the transport hands it to the engine; unset values are null.</summary>
public sealed record GenerationRequest
{
    public required string RequestId { get; init; }
    public string? Model { get; init; }
    public required PromptInput Input { get; init; }
    /// <summary>0 means the profile's default.</summary>
    public int MaxNewTokens { get; init; }
    public float? Temperature { get; init; }
    public int? TopK { get; init; }
    public float? TopP { get; init; }
    public ulong? Seed { get; init; }
    public IReadOnlyList<string> Stop { get; init; } = [];
    /// <summary>The caller's own deadline, if it set one (used to say why a stream ended).</summary>
    public DateTimeOffset? Deadline { get; init; }
    /// <summary>Who asked (e.g. <c>ipv4:10.0.0.7:53122</c>), for log lines about this request.</summary>
    public string Peer { get; init; } = "";
}
