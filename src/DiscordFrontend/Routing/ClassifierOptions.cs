using Microsoft.Extensions.Configuration;

namespace Engram.DiscordFrontend.Routing;

/// <summary>The classification request for messages the rules cannot settle (section <c>Discord:classifier</c>).</summary>
public sealed class ClassifierOptions
{
    /// <summary>The labels the model answers with; the built-in model knows chat, command and ignore.</summary>
    [ConfigurationKeyName("labels")] public List<string> Labels { get; set; } = ["chat", "command", "ignore"];

    /// <summary>Labels the bot answers; any other label is left alone. Default: chat.</summary>
    [ConfigurationKeyName("answer_labels")] public List<string> AnswerLabels { get; set; } = ["chat"];

    /// <summary>The label taken when the model answers anything else, or cannot be reached. Default ignore: when unsure, stay quiet.</summary>
    [ConfigurationKeyName("default_label")] public string DefaultLabel { get; set; } = "ignore";

    /// <summary>Prompt template; <c>{message}</c> is the message text.</summary>
    [ConfigurationKeyName("prompt")] public string Prompt { get; set; } = "classify: {message}";

    [ConfigurationKeyName("max_new_tokens")] public int MaxNewTokens { get; set; } = 4;

    /// <summary>Longest wait for the classification, queueing included. Default 5000 ms.</summary>
    [ConfigurationKeyName("timeout_ms")] public int TimeoutMs { get; set; } = 5000;

    /// <summary>Profile to ask (empty: the daemon's default).</summary>
    [ConfigurationKeyName("model")] public string Model { get; set; } = "";
}
