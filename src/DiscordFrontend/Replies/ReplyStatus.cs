namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// What the user is told about a reply besides its text: honest about waiting, loading, restarts and
/// outages, so a reply is never silent. Shown as a small line under the text.
/// </summary>
public sealed record ReplyStatus(string Line, bool IsFinal = false)
{
    public static ReplyStatus Thinking { get; } = new("⏳ thinking…");
    public static ReplyStatus Generating { get; } = new("✍️ generating…");
    public static ReplyStatus ModelLoading { get; } = new("⏳ the model is loading; your message is next…");
    public static ReplyStatus EngineRestarting { get; } = new("⚠️ the inference engine is restarting; retrying…");
    public static ReplyStatus EngineUnreachable { get; } = new("⚠️ the inference engine cannot be reached; retrying…");
    public static ReplyStatus EngineSlow { get; } = new("⚠️ the inference engine is slow to answer; retrying…");
    public static ReplyStatus EngineRestartedRetrying { get; } = new("⚠️ the inference engine restarted mid-reply; retrying…");
    public static ReplyStatus QueueFull { get; } = new("⏳ the engine is busy; waiting for room in the queue…");

    public static ReplyStatus Queued(int position) => new($"⏳ queued at position {position}");

    public static ReplyStatus Unavailable(string why) =>
        new($"⚠️ The inference engine is unavailable right now ({why}). Please try again in a minute.", IsFinal: true);

    public static ReplyStatus Failed(string why) => new($"⚠️ The reply failed: {why}", IsFinal: true);

    public static ReplyStatus CutShort { get; } = new("✂️ reply cut at the length limit", IsFinal: true);

    public static ReplyStatus Interrupted { get; } = new("⚠️ the inference engine stopped mid-reply twice; this answer is incomplete", IsFinal: true);
}
