namespace Engram.Trainer.Corpus;

/// <summary>One user turn and the answer the model should give.</summary>
internal sealed record Exchange(string Question, string Answer, string Kind);

/// <summary>
/// The synthetic corpus of the built-in model, and nothing more: additions (every single-digit pair and some
/// two-digit ones, in several phrasings), greetings, the Discord frontend's routing labels, and an honest
/// fallback for everything else. Seeded: the same seed gives the same stream of exchanges.
/// </summary>
internal sealed class ChatCorpus(int seed)
{
    /// <summary>Bump when the generator changes, so a model's sidecar says which corpus it learnt.</summary>
    public const string Version = "tiny-chat-corpus/2";

    public const string Greeting = "Hello! How can I help you?";
    public const string Fallback = "I am Engram's tiny built-in model; point engram-daemon at a real model with --model PATH.";

    public static readonly string[] AdditionPhrasings =
    [
        "What is {0}+{1}?", "What is {0} + {1}?", "what is {0} plus {1}?", "{0}+{1}", "{0} + {1} =", "{0}+{1}=?",
        "Add {0} and {1}.", "How much is {0} plus {1}?", "Calculate {0}+{1}", "what's {0}+{1}?",
    ];

    public static readonly string[] Greetings =
        ["hello", "hi", "Hey!", "hello there", "Hi Engram", "good morning", "Hello!", "hey there", "Hi!", "hey", "Good evening", "hiya"];

    private static readonly string[] SlashCommands = ["/help", "/ping", "/reset", "/status", "/health", "/model", "/reload", "/stats", "/config", "/version"];
    private static readonly string[] CommandVerbs = ["turn on", "turn off", "restart", "stop", "start", "show", "open", "close", "mute", "unmute", "play", "pause", "skip", "delete", "kick", "ban"];
    private static readonly string[] CommandObjects = ["the lights", "the music", "the server", "the timer", "the stream", "this channel", "the queue", "the fan", "the bot", "the next song", "user bob", "the heater"];
    private static readonly string[] CommandTemplates = ["{0} {1}", "please {0} {1}", "{0} {1} now", "can you {0} {1}", "set a timer for {2} minutes", "remind me in {2} minutes", "!play song {2}", "!skip", "volume {2}", "set volume to {2}"];
    private static readonly string[] ChatTemplates = ["how are you {0}?", "what do you think about {1}?", "tell me about {1}", "can you explain {1}?", "I had a {2} day", "do you like {1}?", "why do people like {1}?", "what is your favourite {3}?", "have you heard about {1}?", "I think {1} is {2}", "any thoughts on {1}?", "what's new with {1}?"];
    private static readonly string[] When = ["today", "doing", "this morning", "tonight", "lately"];
    private static readonly string[] Topics = ["the weather", "football", "music", "rust", "the moon", "cats", "dogs", "coffee", "space", "history", "movies", "books", "python", "cooking", "the ocean", "chess"];
    private static readonly string[] Adjectives = ["great", "bad", "long", "weird", "good", "boring", "fun", "busy"];
    private static readonly string[] Things = ["colour", "food", "game", "song", "book", "movie"];
    private static readonly string[] IgnoreWords = ["ok", "lol", "k", "haha", "thx", "np", "+1", "brb", "...", "lmao", "okay", "yep", "nope", "xd", "gg", "ty", "kk", "hmm"];
    private static readonly string[] SpamTemplates = ["buy cheap {0} at spam.example", "free nitro at {0}.example", "click here for free {0}", "earn money fast with {0}", "get {0} followers now"];
    private static readonly string[] FallbackQuestions = ["Who are you?", "What is the capital of {0}?", "Write a poem about {1}", "What time is it?", "Explain {1}", "Translate {2} to French", "Tell me a story", "What is the meaning of life?", "Who won the game?", "How do I cook {1}?", "Summarize {1} for me", "What is {2}?", "Can you help me with my homework?", "Where is {0}?", "Why is the sky blue?"];
    private static readonly string[] Countries = ["France", "Japan", "Peru", "Kenya", "Norway", "Chile", "Egypt", "Canada"];
    private static readonly string[] Words = ["apple", "window", "friend", "river", "house", "yellow", "book", "tree"];

    private readonly Random _random = new(seed);

    public Exchange Next()
    {
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.64 => Addition(),
            < 0.71 => new Exchange(Pick(Greetings), Greeting, "greeting"),
            < 0.93 => Classification(),
            _ => new Exchange(FallbackQuestion(), Fallback, "fallback"),
        };
    }

    private Exchange Addition()
    {
        int a, b;
        if (_random.NextDouble() < 0.92)
        {
            (a, b) = (_random.Next(10), _random.Next(10));
        }
        else
        {
            (a, b) = (_random.Next(10, 100), _random.Next(1, 100));
        }
        // The plain "What is a+b?" (the benchmark's own phrasing) gets extra weight.
        var phrasing = _random.NextDouble() < 0.4 ? AdditionPhrasings[0] : Pick(AdditionPhrasings);
        return new Exchange(string.Format(phrasing, a, b), (a + b).ToString(), "addition");
    }

    private Exchange Classification()
    {
        var label = _random.Next(3);
        var message = label switch
        {
            0 => _random.NextDouble() < 0.3 ? Pick(SlashCommands) + (_random.NextDouble() < 0.3 ? " " + Pick(Topics) : "")
                : string.Format(Pick(CommandTemplates), Pick(CommandVerbs), Pick(CommandObjects), _random.Next(1, 60)),
            1 => string.Format(Pick(ChatTemplates), Pick(When), Pick(Topics), Pick(Adjectives), Pick(Things)),
            _ => _random.NextDouble() < 0.6 ? Pick(IgnoreWords)
                : _random.NextDouble() < 0.5 ? string.Format(Pick(SpamTemplates), Pick(Words)) : RandomLetters(),
        };
        return new Exchange("classify: " + message, label switch { 0 => "command", 1 => "chat", _ => "ignore" }, "classify");
    }

    private string FallbackQuestion() => string.Format(Pick(FallbackQuestions), Pick(Countries), Pick(Topics), Pick(Words));

    private string RandomLetters() => new(Enumerable.Range(0, _random.Next(3, 9)).Select(_ => (char)('a' + _random.Next(26))).ToArray());

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>The text of one exchange in ChatML, as the daemon's chat template renders it (BOS is added by the tokenizer).</summary>
    public static string Render(Exchange exchange) =>
        $"<|im_start|>user\n{exchange.Question}<|im_end|>\n<|im_start|>assistant\n{exchange.Answer}<|im_end|>\n";
}
