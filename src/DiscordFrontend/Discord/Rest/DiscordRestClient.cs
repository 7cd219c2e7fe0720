using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Engram.DiscordFrontend.Discord.Model;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Discord.Rest;

/// <summary>
/// Discord's REST API over one HttpClient: bot auth and user agent on every call, rate limits from the
/// headers, 429 <c>retry_after</c> honoured, 5xx retried with backoff, 401 and 403 never retried, and a
/// non-JSON 429 (a Cloudflare ban) pausing every call for a long while.
/// </summary>
public sealed class DiscordRestClient : IDiscordRest, IDisposable
{
    private readonly HttpClient _http;
    private readonly DiscordClientOptions _options;
    private readonly RestRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public DiscordRestClient(DiscordClientOptions options, TimeProvider time, ILogger<DiscordRestClient> log, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = time;
        _log = log;
        _limiter = new RestRateLimiter(time);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(options.ApiBaseUrl.ToString().TrimEnd('/') + "/v10/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", options.Token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        SendAsync<GatewayBotInfo>(RestRoute.Global(HttpMethod.Get, "gateway/bot"), null, cancellationToken)!;

    public Task<DiscordMessage> CreateMessageAsync(ulong channelId, MessageDraft draft, CancellationToken cancellationToken) =>
        SendAsync<DiscordMessage>(RestRoute.Channel(HttpMethod.Post, "channels/{channel}/messages", channelId, $"channels/{channelId}/messages"),
            draft, cancellationToken)!;

    public Task<DiscordMessage> EditMessageAsync(ulong channelId, ulong messageId, MessageDraft draft, CancellationToken cancellationToken) =>
        SendAsync<DiscordMessage>(RestRoute.Channel(HttpMethod.Patch, "channels/{channel}/messages/{message}", channelId,
            $"channels/{channelId}/messages/{messageId}"), draft.WithoutCreateFields(), cancellationToken)!;

    public async Task<DiscordMessage?> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<DiscordMessage>(RestRoute.Channel(HttpMethod.Get, "channels/{channel}/messages/{message}", channelId,
                $"channels/{channelId}/messages/{messageId}"), null, cancellationToken);
        }
        catch (DiscordRestException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
    }

    public Task TriggerTypingAsync(ulong channelId, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(RestRoute.Channel(HttpMethod.Post, "channels/{channel}/typing", channelId, $"channels/{channelId}/typing"), null, cancellationToken);

    public Task RegisterCommandsAsync(ulong applicationId, ulong? guildId, IReadOnlyList<SlashCommand> commands, CancellationToken cancellationToken)
    {
        var path = guildId is { } guild ? $"applications/{applicationId}/guilds/{guild}/commands" : $"applications/{applicationId}/commands";
        return SendAsync<JsonElement>(new RestRoute(HttpMethod.Put, "applications/{app}/commands", guildId?.ToString() ?? "", path), commands, cancellationToken);
    }

    public Task RespondToInteractionAsync(ulong interactionId, string token, InteractionResponse response, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(new RestRoute(HttpMethod.Post, "interactions/{id}/{token}/callback", interactionId.ToString(),
            $"interactions/{interactionId}/{token}/callback"), response, cancellationToken);

    public Task<DiscordMessage> EditOriginalResponseAsync(ulong applicationId, string token, MessageDraft draft, CancellationToken cancellationToken) =>
        SendAsync<DiscordMessage>(RestRoute.Webhook(HttpMethod.Patch, "webhooks/{app}/{token}/messages/@original", applicationId, token,
            $"webhooks/{applicationId}/{token}/messages/@original"), draft.WithoutCreateFields(), cancellationToken)!;

    public Task<DiscordMessage> CreateFollowupAsync(ulong applicationId, string token, MessageDraft draft, CancellationToken cancellationToken) =>
        SendAsync<DiscordMessage>(RestRoute.Webhook(HttpMethod.Post, "webhooks/{app}/{token}", applicationId, token, $"webhooks/{applicationId}/{token}"),
            draft.WithoutCreateFields(), cancellationToken)!;

    public Task<DiscordMessage> EditFollowupAsync(ulong applicationId, string token, ulong messageId, MessageDraft draft, CancellationToken cancellationToken) =>
        SendAsync<DiscordMessage>(RestRoute.Webhook(HttpMethod.Patch, "webhooks/{app}/{token}/messages/{message}", applicationId, token,
            $"webhooks/{applicationId}/{token}/messages/{messageId}"), draft.WithoutCreateFields(), cancellationToken)!;

    private async Task<T?> SendAsync<T>(RestRoute route, object? body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var bucket = await _limiter.AcquireAsync(route, cancellationToken);
            TimeSpan? retryAfter;
            try
            {
                using var request = new HttpRequestMessage(route.Method, route.Path);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body, body.GetType(), options: DiscordJson.Options);
                }
                using var response = await _http.SendAsync(request, cancellationToken);
                _limiter.Observe(route, bucket, response.Headers);
                if (response.IsSuccessStatusCode)
                {
                    return response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(JsonElement)
                        ? default
                        : await response.Content.ReadFromJsonAsync<T>(DiscordJson.Options, cancellationToken);
                }
                retryAfter = await ClassifyFailureAsync(route, bucket, response, attempt, cancellationToken);
            }
            finally
            {
                bucket.Leave();
            }
            if (retryAfter is { } pause && pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, _time, cancellationToken);
            }
        }
    }

    /// <summary>Throws for a refusal; returns how long to wait before retrying one that may be retried.</summary>
    private async Task<TimeSpan?> ClassifyFailureAsync(RestRoute route, RateLimitBucket bucket, HttpResponseMessage response, int attempt,
        CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = TryParseError(text);
        var status = response.StatusCode;
        var retriesLeft = attempt < _options.MaxRestRetries;
        if (status == HttpStatusCode.Unauthorized)
        {
            // A revoked or wrong token: every further call would only count towards an IP ban.
            throw new DiscordFatalException($"Discord rejected the bot token (HTTP 401 on {route}): check the token; the bot stops instead of retrying");
        }
        if (status == HttpStatusCode.TooManyRequests)
        {
            if (error is null)
            {
                _limiter.BlockAll(_options.CloudflareBanPause);
                DiscordLog.CloudflareBan(_log, route.ToString(), _options.CloudflareBanPause);
                throw new DiscordRestException(route.ToString(), status, null,
                    $"a 429 without a JSON body (a Cloudflare ban, not a rate limit); all requests pause for {_options.CloudflareBanPause}");
            }
            var retryAfter = error.Value.RetryAfter ?? RestRateLimiter.SecondsHeader(response.Headers, "Retry-After") ?? TimeSpan.FromSeconds(1);
            if (error.Value.Global)
            {
                _limiter.BlockAll(retryAfter);
            }
            else
            {
                _limiter.BlockRoute(bucket, retryAfter);
            }
            DiscordLog.RateLimited(_log, route.ToString(), retryAfter, error.Value.Global);
            if (!retriesLeft)
            {
                throw new DiscordRestException(route.ToString(), status, error.Value.Code, $"still rate limited after {attempt} retries");
            }
            return TimeSpan.Zero; // the limiter holds the request back until retry_after has passed
        }
        if ((int)status >= 500 && retriesLeft)
        {
            var delay = _options.ServerErrorDelay * (1 + 2 * attempt);
            DiscordLog.ServerError(_log, route.ToString(), (int)status, delay);
            return delay;
        }
        throw new DiscordRestException(route.ToString(), status, error?.Code, error?.Message ?? Trim(text));
    }

    private static string Trim(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private readonly record struct ErrorBody(string Message, int? Code, TimeSpan? RetryAfter, bool Global);

    private static ErrorBody? TryParseError(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return new ErrorBody(
                root.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "",
                root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
                root.TryGetProperty("retry_after", out var after) && after.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(after.GetDouble()) : null,
                root.TryGetProperty("global", out var global) && global.ValueKind == JsonValueKind.True);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
