using System.Text.Json;
using Engram.Inference.Engine;

namespace Engram.InferenceDaemon.Api.OpenAi;

/// <summary>
/// An error as OpenAI's API reports it: an HTTP status and <c>{"error": {"message", "type", "param", "code"}}</c>.
/// SDKs turn the status into their exception types, so the status carries the meaning and the body the detail.
/// </summary>
internal sealed record OpenAiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>Seconds a client should wait before it asks again (429 and 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static OpenAiError InvalidRequest(string message, string? param = null) => new(400, message, "invalid_request_error", param);

    public static OpenAiError Unauthorized() => new(401, "a valid bearer token is needed: send Authorization: Bearer TOKEN", "invalid_request_error", Code: "invalid_api_key");

    /// <summary>The engine's refusal, as an OpenAI-compatible server reports the same situation.</summary>
    public static OpenAiError From(GenerationRejectedException rejection) => rejection.Kind switch
    {
        RejectionKind.InvalidArgument => InvalidRequest(rejection.Message),
        RejectionKind.ModelNotFound => new(404, rejection.Message, "invalid_request_error", "model", "model_not_found"),
        RejectionKind.QueueFull => new(429, rejection.Message, "rate_limit_exceeded", Code: "queue_full") { RetryAfterSeconds = 1 },
        RejectionKind.ModelLoading => new(503, rejection.Message, "server_error", Code: "model_loading") { RetryAfterSeconds = 2 },
        // The class and kind say whether the operator must fix the file or the machine; no retry helps.
        RejectionKind.ModelFailed => new(503, rejection.Message, "server_error",
            Code: rejection.Failure is { } f ? $"model_failed:{f.Class.ToString().ToLowerInvariant()}/{f.Kind}" : "model_failed"),
        _ => new(503, rejection.Message, "server_error", Code: "shutting_down") { RetryAfterSeconds = 1 },
    };

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", Message);
        json.WriteString("type", Type);
        if (Param is null)
        {
            json.WriteNull("param");
        }
        else
        {
            json.WriteString("param", Param);
        }
        if (Code is null)
        {
            json.WriteNull("code");
        }
        else
        {
            json.WriteString("code", Code);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Status == 401)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }
        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.Body);
        WriteTo(json);
        await json.FlushAsync(cancellationToken);
    }
}
