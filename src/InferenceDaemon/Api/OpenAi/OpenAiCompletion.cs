using System.Text;
using System.Text.Json;
using Engram.Inference.Engine;

namespace Engram.InferenceDaemon.Api.OpenAi;

/// <summary>
/// One completion's wire shape: a chat completion (<c>chat.completion</c> and its <c>.chunk</c>s) or a text
/// completion (<c>text_completion</c>), with its id, model, creation time and the usage the engine measured.
/// </summary>
internal sealed class OpenAiCompletion(bool chat, string requestId, string model, bool includeUsageInChunks)
{
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public string Id { get; } = (chat ? "chatcmpl-" : "cmpl-") + requestId;

    public static string? FinishReason(GenerationFinished finished) => finished.Reason switch
    {
        Inference.Engine.FinishReason.Stop => "stop",
        // Cut short, by the token budget, the context or the profile's time limit.
        Inference.Engine.FinishReason.Length or Inference.Engine.FinishReason.Deadline => "length",
        _ => null,
    };

    /// <summary>A streamed piece: the assistant role first (chat), then text, then the finish reason alone (with the timings).</summary>
    public void WriteChunk(Utf8JsonWriter json, string? text, bool announceRole, string? finishReason, GenerationTimings? timings = null)
    {
        Header(json, chat ? "chat.completion.chunk" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (chat)
        {
            json.WriteStartObject("delta");
            if (announceRole)
            {
                json.WriteString("role", "assistant");
            }
            if (text is not null)
            {
                json.WriteString("content", text);
            }
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", text ?? "");
        }
        json.WriteNull("logprobs");
        WriteFinishReason(json, finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        if (includeUsageInChunks)
        {
            json.WriteNull("usage");
        }
        if (timings is not null)
        {
            WriteTimings(json, timings);
        }
        json.WriteEndObject();
    }

    /// <summary>The last chunk when the client asked for usage (stream_options.include_usage): no choices, only usage.</summary>
    public void WriteUsageChunk(Utf8JsonWriter json, GenerationTimings timings)
    {
        Header(json, chat ? "chat.completion.chunk" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteEndArray();
        WriteUsage(json, timings);
        json.WriteEndObject();
    }

    /// <summary>The whole answer at once (stream false).</summary>
    public void WriteResponse(Utf8JsonWriter json, string text, GenerationFinished finished)
    {
        Header(json, chat ? "chat.completion" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (chat)
        {
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", text);
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", text);
        }
        json.WriteNull("logprobs");
        WriteFinishReason(json, FinishReason(finished));
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, finished.Timings);
        WriteTimings(json, finished.Timings);
        json.WriteEndObject();
    }

    /// <summary>
    /// The engine's own step timings, in llama-server's <c>timings</c> object (tools that read it, engram-bench among
    /// them, get prefill and decode rates rather than wall clock): prompt_n is what was prefilled, cache_n what was reused.
    /// </summary>
    private static void WriteTimings(Utf8JsonWriter json, GenerationTimings timings)
    {
        json.WriteStartObject("timings");
        json.WriteNumber("cache_n", timings.CachedPromptTokens);
        json.WriteNumber("prompt_n", timings.PrefilledTokens);
        json.WriteNumber("prompt_ms", timings.Prefill.TotalMilliseconds);
        json.WriteNumber("prompt_per_second", timings.PrefillTokensPerSecond);
        json.WriteNumber("predicted_n", timings.GeneratedTokens);
        json.WriteNumber("predicted_ms", timings.Decode.TotalMilliseconds);
        json.WriteNumber("predicted_per_second", timings.DecodeTokensPerSecond);
        json.WriteEndObject();
    }

    private void Header(Utf8JsonWriter json, string type)
    {
        json.WriteStartObject();
        json.WriteString("id", Id);
        json.WriteString("object", type);
        json.WriteNumber("created", _created);
        json.WriteString("model", model);
        json.WriteNull("system_fingerprint");
    }

    private static void WriteFinishReason(Utf8JsonWriter json, string? finishReason)
    {
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }
    }

    private static void WriteUsage(Utf8JsonWriter json, GenerationTimings timings)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", timings.PromptTokens);
        json.WriteNumber("completion_tokens", timings.GeneratedTokens);
        json.WriteNumber("total_tokens", timings.PromptTokens + timings.GeneratedTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", timings.CachedPromptTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Text(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(Serialize(write));
}
