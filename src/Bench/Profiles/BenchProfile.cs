using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engram.Bench.Profiles;

/// <summary>One prompt of a profile, its bounds, and the answer pattern that counts as correct (if any).</summary>
public sealed record BenchPrompt
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>A user message, sent through the model's chat template.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
    /// <summary>A raw prompt (no template); used when <see cref="Message"/> is not set.</summary>
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    /// <summary>Repeat the prompt text until it is about this many characters (for prefill-heavy profiles).</summary>
    [JsonPropertyName("repeat_to_chars")] public int RepeatToChars { get; init; }
    [JsonPropertyName("max_new_tokens")] public int MaxNewTokens { get; init; } = 128;
    /// <summary>A regular expression the answer must match to pass the quality check.</summary>
    [JsonPropertyName("expect")] public string? Expect { get; init; }

    public string Text => Message ?? Expand(Prompt ?? "");

    public bool IsChat => Message is not null;

    private string Expand(string text)
    {
        if (RepeatToChars <= text.Length || text.Length == 0)
        {
            return text;
        }
        var builder = new System.Text.StringBuilder(RepeatToChars + text.Length);
        while (builder.Length < RepeatToChars)
        {
            builder.Append(text).Append(' ');
        }
        return builder.ToString();
    }
}

/// <summary>A benchmark profile: data, not code (a JSON file), so new workloads need no rebuild.</summary>
public sealed record BenchProfile
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("description")] public string Description { get; init; } = "";
    [JsonPropertyName("temperature")] public float Temperature { get; init; }
    [JsonPropertyName("prompts")] public IReadOnlyList<BenchPrompt> Prompts { get; init; } = [];

    public static IReadOnlyList<string> BuiltIn { get; } = ["edge", "pp512-tg128"];

    /// <summary>A built-in profile by name, or a JSON file by path.</summary>
    public static BenchProfile Load(string nameOrPath)
    {
        string json;
        if (File.Exists(nameOrPath))
        {
            json = File.ReadAllText(nameOrPath);
        }
        else
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Engram.Bench.Profiles.{nameOrPath}.json")
                ?? throw new UserFacingException($"unknown profile '{nameOrPath}': use {string.Join(", ", BuiltIn)} or a JSON file path");
            json = new StreamReader(stream).ReadToEnd();
        }
        var profile = JsonSerializer.Deserialize<BenchProfile>(json)
            ?? throw new UserFacingException($"profile {nameOrPath} is empty");
        if (profile.Prompts.Count == 0 || profile.Prompts.Any(p => p.Text.Length == 0 || p.MaxNewTokens < 1))
        {
            throw new UserFacingException($"profile {nameOrPath} needs prompts, each with text and max_new_tokens >= 1");
        }
        return profile;
    }
}
