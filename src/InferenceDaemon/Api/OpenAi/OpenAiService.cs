using System.Text;
using System.Text.Json;
using Engram.Inference.Engine;
using Engram.Inference.Health;
using Engram.InferenceDaemon.Diagnostics;
using Engram.InferenceDaemon.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Api.OpenAi;

/// <summary>
/// The OpenAI-compatible door: translates /v1 requests to the engine and its outcomes to OpenAI's wire shapes. The
/// same engine, queue, pressure fallback, metrics and request log as gRPC; it is the only writer of each response,
/// and a client that disconnects (or stops reading) ends its generation.
/// </summary>
internal sealed class OpenAiService(GenerationEngine engine, HealthReporter health, EngramMetrics metrics, IOptions<DaemonOptions> options)
{
    public Task ChatCompletionsAsync(HttpContext http) => CompleteAsync(http, chat: true);

    public Task CompletionsAsync(HttpContext http) => CompleteAsync(http, chat: false);

    private async Task CompleteAsync(HttpContext http, bool chat)
    {
        var aborted = http.RequestAborted;
        OpenAiRequest request;
        try
        {
            request = OpenAiRequest.Parse(await ReadBodyAsync(http), chat);
        }
        catch (OpenAiRequestException invalid)
        {
            await invalid.Error.WriteAsync(http.Response, aborted);
            return;
        }

        GenerationStream generation;
        try
        {
            generation = await engine.StartAsync(ToEngine(request, http), aborted);
        }
        catch (GenerationRejectedException rejection)
        {
            metrics.RequestRefused(rejection.Profile, StatusMapping.ToStatusCode(rejection.Kind).ToString());
            await OpenAiError.From(rejection).WriteAsync(http.Response, aborted);
            return;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            metrics.RequestCancelled(null);
            return;
        }

        await using (generation)
        {
            // A client that stopped reading holds a blocked write: aborting the connection releases it.
            using var abandon = generation.Abandoned.Register(static state => ((HttpContext)state!).Abort(), http);
            string? model = null;
            try
            {
                if (request.Stream)
                {
                    model = await StreamAsync(http, generation, request, chat, aborted);
                }
                else
                {
                    model = await RespondAsync(http, generation, chat, aborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException
                                       && (aborted.IsCancellationRequested || generation.Abandoned.IsCancellationRequested))
            {
                metrics.RequestCancelled(model); // the client disconnected or stopped reading: its generation has ended
            }
        }
    }

    private async Task<string?> StreamAsync(HttpContext http, GenerationStream generation, OpenAiRequest request, bool chat, CancellationToken aborted)
    {
        var events = new ServerSentEvents(http.Response);
        OpenAiCompletion? completion = null;
        string? model = null;
        await foreach (var item in generation.ReadAllAsync(aborted))
        {
            switch (item)
            {
                case RequestAccepted accepted:
                    model = accepted.Model;
                    completion = new OpenAiCompletion(chat, accepted.RequestId, accepted.Model, request.IncludeUsage);
                    await events.WriteAsync(json => completion.WriteChunk(json, chat ? "" : null, announceRole: true, finishReason: null), aborted);
                    break;
                case QueuePositionChanged queued:
                    await events.CommentAsync($"queued at position {queued.QueuePosition}", aborted);
                    break;
                case TextDelta delta:
                    await events.WriteAsync(json => completion!.WriteChunk(json, delta.Text, announceRole: false, finishReason: null), aborted);
                    break;
                case GenerationFinished finished:
                    Ended(model, finished);
                    if (Failure(finished) is { } failure)
                    {
                        // Headers are out: the failure travels as an error event, as OpenAI's own stream does it.
                        await events.WriteAsync(failure.WriteTo, aborted);
                        return model;
                    }
                    await events.WriteAsync(json => completion!.WriteChunk(json, chat ? null : "", announceRole: false,
                        OpenAiCompletion.FinishReason(finished), finished.Timings), aborted);
                    if (request.IncludeUsage)
                    {
                        await events.WriteAsync(json => completion!.WriteUsageChunk(json, finished.Timings), aborted);
                    }
                    await events.DoneAsync(aborted);
                    break;
            }
        }
        return model;
    }

    private async Task<string?> RespondAsync(HttpContext http, GenerationStream generation, bool chat, CancellationToken aborted)
    {
        var text = new StringBuilder();
        OpenAiCompletion? completion = null;
        string? model = null;
        await foreach (var item in generation.ReadAllAsync(aborted))
        {
            switch (item)
            {
                case RequestAccepted accepted:
                    model = accepted.Model;
                    completion = new OpenAiCompletion(chat, accepted.RequestId, accepted.Model, includeUsageInChunks: false);
                    break;
                case TextDelta delta:
                    text.Append(delta.Text);
                    break;
                case GenerationFinished finished:
                    Ended(model, finished);
                    if (Failure(finished) is { } failure)
                    {
                        await failure.WriteAsync(http.Response, aborted);
                        return model;
                    }
                    http.Response.ContentType = "application/json";
                    await http.Response.Body.WriteAsync(OpenAiCompletion.Serialize(json => completion!.WriteResponse(json, text.ToString(), finished)), aborted);
                    break;
            }
        }
        return model;
    }

    private static OpenAiError? Failure(GenerationFinished finished) =>
        finished.ShuttingDown ? new OpenAiError(503, "the daemon is shutting down", "server_error", Code: "shutting_down") { RetryAfterSeconds = 1 }
        : finished.Reason == Inference.Engine.FinishReason.Error ? new OpenAiError(500, $"generation failed: {finished.Error}", "server_error", Code: "generation_failed")
        : null;

    private void Ended(string? model, GenerationFinished finished)
    {
        var status = finished.Reason == Inference.Engine.FinishReason.Error ? "Internal" : finished.ShuttingDown ? "Unavailable" : "OK";
        metrics.RequestEnded(model, finished.Reason, finished.Timings, status);
    }

    private async Task<JsonElement> ReadBodyAsync(HttpContext http)
    {
        // Refused before it is read into memory, let alone parsed (the gRPC door's max_request_bytes).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxRequestBytes;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, http.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new OpenAiRequestException(OpenAiError.InvalidRequest($"the body is not valid JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new OpenAiRequestException(new OpenAiError(413, $"the request is over {options.Value.MaxRequestBytes} bytes (max_request_bytes)",
                "invalid_request_error"));
        }
    }

    private static GenerationRequest ToEngine(OpenAiRequest request, HttpContext http) => new()
    {
        RequestId = Guid.NewGuid().ToString("N")[..12],
        Model = request.Model,
        Input = request.Input,
        MaxNewTokens = request.MaxTokens,
        Temperature = request.Temperature,
        TopP = request.TopP,
        Seed = request.Seed is { } seed ? unchecked((ulong)seed) : null,
        Stop = request.Stop,
        Peer = $"openai:{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}",
    };

    /// <summary>GET /v1/models: every profile, with Engram's own facts (state, backend, context) beside OpenAI's fields.</summary>
    public async Task ModelsAsync(HttpContext http)
    {
        var snapshot = health.Snapshot();
        var created = DateTimeOffset.UtcNow.Add(-snapshot.Uptime).ToUnixTimeSeconds();
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(OpenAiCompletion.Serialize(json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var model in snapshot.Models)
            {
                WriteModel(json, model, created);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }), http.RequestAborted);
    }

    /// <summary>GET /v1/models/{id}: one profile, or 404 as OpenAI answers for a model it does not have.</summary>
    public async Task ModelAsync(HttpContext http, string id)
    {
        var snapshot = health.Snapshot();
        if (snapshot.Models.FirstOrDefault(m => m.Profile.Name.Equals(id, StringComparison.OrdinalIgnoreCase)) is not { } model)
        {
            await new OpenAiError(404, $"the model '{CallerText.Quote(id)}' does not exist", "invalid_request_error", "model", "model_not_found")
                .WriteAsync(http.Response, http.RequestAborted);
            return;
        }
        http.Response.ContentType = "application/json";
        var created = DateTimeOffset.UtcNow.Add(-snapshot.Uptime).ToUnixTimeSeconds();
        await http.Response.Body.WriteAsync(OpenAiCompletion.Serialize(json => WriteModel(json, model, created)), http.RequestAborted);
    }

    private static void WriteModel(Utf8JsonWriter json, ModelSnapshot model, long created)
    {
        json.WriteStartObject();
        json.WriteString("id", model.Profile.Name);
        json.WriteString("object", "model");
        json.WriteNumber("created", created);
        json.WriteString("owned_by", "engram");
        json.WriteStartObject("engram");
        json.WriteString("state", StatusMapping.StateName(model.State));
        json.WriteString("backend", model.Profile.Backend);
        json.WriteNumber("max_context_len", model.ContextLength);
        json.WriteBoolean("default", model.IsDefault);
        if (model.Failure is { } failure)
        {
            json.WriteString("failure", $"{failure.Class.ToString().ToLowerInvariant()}/{failure.Kind}: {failure.Detail}");
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
