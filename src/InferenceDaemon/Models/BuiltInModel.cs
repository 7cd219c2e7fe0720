using System.Text.Json;

namespace Engram.InferenceDaemon.Models;

/// <summary>
/// The model the daemon serves when none is configured: Engram's tiny chat model, trained by
/// <c>tools/Trainer</c> (engram-train) and shipped beside the binary. It answers additions, greetings and the
/// Discord frontend's routing labels, says honestly that it knows nothing else, and needs nothing downloaded.
/// </summary>
public static class BuiltInModel
{
    public const string ProfileName = "builtin";
    public const string FileName = "engram-tiny-chat.gguf";

    /// <summary>Its context: it was trained on 160-token sequences; a little more keeps short chats whole.</summary>
    public const int MaxContextLen = 512;

    public static string PathIn(string directory) => Path.Combine(directory, "models", FileName);

    public static string DefaultPath => PathIn(AppContext.BaseDirectory);

    /// <summary>Plain words for Health and the start-up log, with the facts from the trainer's sidecar (MODEL.json).</summary>
    public static string Describe(string modelPath)
    {
        var facts = "";
        try
        {
            using var sidecar = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(modelPath, ".json")));
            var root = sidecar.RootElement;
            var evaluation = root.TryGetProperty("evaluation", out var e)
                ? string.Join(", ", e.EnumerateObject().Select(g => $"{g.Name} {g.Value.GetProperty("correct")}/{g.Value.GetProperty("total")}"))
                : "";
            facts = $" (engram-train, corpus {root.GetProperty("corpus_version").GetString()}, {root.GetProperty("steps")} steps, " +
                $"final loss {root.GetProperty("final_loss").GetDouble():0.000}, trained {root.GetProperty("trained_at").GetString()}; evaluation: {evaluation})";
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            facts = " (its training sidecar is missing or unreadable)";
        }
        return "built-in tiny chat model, about 1M parameters" + facts +
            ": it knows single- and two-digit additions, greetings and routing labels, nothing more; point engram-daemon at a real model with --model PATH";
    }
}
