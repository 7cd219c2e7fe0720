using System.Text.Json;
using Engram.Inference.Engine;

namespace Engram.InferenceDaemon.Api.OpenAi;

/// <summary>What an OpenAI-style request asks, in the engine's terms, with the stream options the transport needs.</summary>
internal sealed record OpenAiRequest(string? Model, PromptInput Input, int MaxTokens, float? Temperature, float? TopP, long? Seed,
    IReadOnlyList<string> Stop, bool Stream, bool IncludeUsage)
{
    /// <summary>
    /// Reads a /v1/chat/completions (<paramref name="chat"/>) or /v1/completions body. Unknown fields are ignored, as
    /// OpenAI-compatible servers do; a known field of the wrong type or out of range is a 400 naming it.
    /// </summary>
    public static OpenAiRequest Parse(JsonElement body, bool chat)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new OpenAiRequestException(OpenAiError.InvalidRequest("the request body must be a JSON object"));
        }
        var model = OptionalString(body, "model");
        PromptInput input = chat
            ? new PromptInput("", Messages(body))
            : new PromptInput(Prompt(body), [], Raw: true); // a completion prompt is text to continue, as OpenAI's legacy API means it
        var maxTokens = OptionalInt(body, "max_completion_tokens", 1, 1 << 20) ?? OptionalInt(body, "max_tokens", 1, 1 << 20) ?? 0;
        var temperature = OptionalNumber(body, "temperature", 0, 2);
        var topP = OptionalNumber(body, "top_p", 0, 1);
        var seed = body.TryGetProperty("seed", out var seedValue) && seedValue.ValueKind != JsonValueKind.Null
            ? seedValue.ValueKind == JsonValueKind.Number && seedValue.TryGetInt64(out var s) ? s
                : throw Invalid("seed must be an integer", "seed")
            : (long?)null;
        if (OptionalInt(body, "n", 1, 128) is > 1)
        {
            throw Invalid("n greater than 1 is not supported: ask once per completion", "n");
        }
        var stream = OptionalBool(body, "stream") ?? false;
        var includeUsage = body.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
            && (OptionalBool(options, "include_usage", "stream_options.include_usage") ?? false);
        return new OpenAiRequest(model, input, maxTokens, (float?)temperature, (float?)topP, seed, StopSequences(body), stream, includeUsage);
    }

    private static IReadOnlyList<ChatTurn> Messages(JsonElement body)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("messages must be an array of {role, content}", "messages");
        }
        var turns = new List<ChatTurn>(messages.GetArrayLength());
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || OptionalString(message, "role", "messages") is not { } role)
            {
                throw Invalid("each message needs a role", "messages");
            }
            role = role switch
            {
                "developer" => "system", // OpenAI's newer name for the system role
                "system" or "user" or "assistant" => role,
                _ => throw Invalid($"message role '{CallerText.Quote(role)}' is not supported (system, developer, user, assistant)", "messages"),
            };
            turns.Add(new ChatTurn(role, Content(message)));
        }
        return turns;
    }

    // A string, or an array of content parts of which only text can be given to these models.
    private static string Content(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("message content must be a string or an array of text parts", "messages");
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || OptionalString(part, "type", "messages") != "text"
                || OptionalString(part, "text", "messages") is not { } piece)
            {
                throw Invalid("only text content parts ({\"type\":\"text\",\"text\":...}) are supported", "messages");
            }
            text.Append(piece);
        }
        return text.ToString();
    }

    private static string Prompt(JsonElement body)
    {
        if (body.TryGetProperty("prompt", out var prompt))
        {
            if (prompt.ValueKind == JsonValueKind.String)
            {
                return prompt.GetString()!;
            }
            if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
            {
                return prompt[0].GetString()!;
            }
        }
        throw Invalid("prompt must be a string (or an array of one string)", "prompt");
    }

    private static IReadOnlyList<string> StopSequences(JsonElement body)
    {
        if (!body.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            return [stop.GetString()!];
        }
        if (stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))
        {
            return stop.EnumerateArray().Select(s => s.GetString()!).ToArray();
        }
        throw Invalid("stop must be a string or an array of strings", "stop");
    }

    private static string? OptionalString(JsonElement body, string name, string? param = null) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{name} must be a string", param ?? name);

    private static bool? OptionalBool(JsonElement body, string name, string? param = null) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Invalid($"{name} must be true or false", param ?? name);

    private static int? OptionalInt(JsonElement body, string name, int min, int max)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : throw Invalid($"{name} must be an integer from {min} to {max}", name);
    }

    private static double? OptionalNumber(JsonElement body, string name, double min, double max)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && number >= min && number <= max
            ? number
            : throw Invalid($"{name} must be a number from {min} to {max}", name);
    }

    private static OpenAiRequestException Invalid(string message, string param) => new(OpenAiError.InvalidRequest(message, param));
}

/// <summary>A request the OpenAI door refuses before the engine sees it.</summary>
internal sealed class OpenAiRequestException(OpenAiError error) : Exception(error.Message)
{
    public OpenAiError Error { get; } = error;
}
