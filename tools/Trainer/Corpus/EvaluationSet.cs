namespace Engram.Trainer.Corpus;

/// <summary>One evaluation prompt: what is asked, what must come back, and which group it counts in.</summary>
public sealed record EvaluationCase(string Group, string Prompt, string Expected);

/// <summary>
/// What the built-in model is evaluated on, by the trainer and by the tests through the real daemon. The
/// routing and fallback cases are hand-written and never produced by the corpus generator (held out).
/// </summary>
public static class EvaluationSet
{
    public const string Question = "What is 2+2?";

    public static IReadOnlyList<EvaluationCase> SingleDigitAdditions { get; } =
        (from a in Enumerable.Range(0, 10) from b in Enumerable.Range(0, 10) select new EvaluationCase("addition", $"What is {a}+{b}?", (a + b).ToString())).ToArray();

    public static IReadOnlyList<EvaluationCase> Greetings { get; } =
        new[] { "hello", "hi", "Hey!", "hello there" }.Select(g => new EvaluationCase("greeting", g, ChatCorpus.Greeting)).ToArray();

    public static IReadOnlyList<EvaluationCase> HeldOutRouting { get; } =
    [
        new("routing", "classify: /help", "command"),
        new("routing", "classify: /status", "command"),
        new("routing", "classify: please restart the server", "command"),
        new("routing", "classify: turn off the music now", "command"),
        new("routing", "classify: set a timer for 15 minutes", "command"),
        new("routing", "classify: mute this channel", "command"),
        new("routing", "classify: !skip", "command"),
        new("routing", "classify: how are you doing today?", "chat"),
        new("routing", "classify: what do you think about chess?", "chat"),
        new("routing", "classify: tell me about the ocean", "chat"),
        new("routing", "classify: I had a fun day", "chat"),
        new("routing", "classify: do you like coffee?", "chat"),
        new("routing", "classify: any thoughts on python?", "chat"),
        new("routing", "classify: lol", "ignore"),
        new("routing", "classify: ok", "ignore"),
        new("routing", "classify: thx", "ignore"),
        new("routing", "classify: qwzxtr", "ignore"),
        new("routing", "classify: free nitro at scam.example", "ignore"),
        new("routing", "classify: gg", "ignore"),
        new("routing", "classify: hmm", "ignore"),
    ];

    public static IReadOnlyList<EvaluationCase> Unknown { get; } =
        new[] { "Who is the president?", "How tall is Mount Everest?", "What's your name?", "Can you write some code?" }
            .Select(q => new EvaluationCase("fallback", q, ChatCorpus.Fallback)).ToArray();

    public static IReadOnlyList<EvaluationCase> All { get; } =
        [new("question", Question, "4"), .. SingleDigitAdditions, .. Greetings, .. HeldOutRouting, .. Unknown];
}
