using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Engram.DiscordFrontend.Tests.Fakes;

public sealed partial class FakeDiscordServer
{
    private async Task HandleRestAsync(HttpContext context)
    {
        var path = (string)context.Request.RouteValues["path"]!;
        var method = context.Request.Method;
        int status;
        try
        {
            status = await AnswerAsync(context, method, path);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // A bug in the fake shows as such, not as a mysterious 500.
            status = await ErrorAsync(context.Response, 500, 0, "fake discord failed: " + ex);
        }
        Requests.Enqueue((method, path, status, DateTimeOffset.UtcNow));
    }

    private async Task<int> AnswerAsync(HttpContext context, string method, string path)
    {
        if (RestDelay > TimeSpan.Zero)
        {
            await Task.Delay(RestDelay);
        }
        var request = context.Request;
        var response = context.Response;
        if (RejectToken || request.Headers.Authorization != $"Bot {Token}")
        {
            return await ErrorAsync(response, 401, 0, "401: Unauthorized");
        }
        if (!request.Headers.UserAgent.ToString().StartsWith("DiscordBot (", StringComparison.Ordinal))
        {
            return await ErrorAsync(response, 400, 50035, "a bot must send a DiscordBot user agent");
        }
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (method is "POST" or "PATCH" or "PUT" && hasBody && request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return await ErrorAsync(response, 400, 50035, "bodies must be JSON");
        }
        if (DateTimeOffset.UtcNow < _globalBlockedUntil)
        {
            // As Discord does: more 429s while the global limit lasts (a request already in flight when it was
            // announced may meet one; a client that honours it sends nothing more).
            Interlocked.Increment(ref GlobalLimitHits);
            response.StatusCode = 429;
            response.Headers["X-RateLimit-Global"] = "true";
            await response.WriteAsJsonAsync(new { message = "You are being rate limited.", retry_after = (_globalBlockedUntil - DateTimeOffset.UtcNow).TotalSeconds, global = true });
            return 429;
        }
        foreach (var fault in _rateLimits)
        {
            if (fault.Remaining > 0 && path.StartsWith(fault.PathPrefix, StringComparison.Ordinal) && Interlocked.Decrement(ref fault.Remaining) >= 0)
            {
                response.StatusCode = 429;
                if (fault.Html)
                {
                    response.ContentType = "text/html";
                    await response.WriteAsync("<html><body>Error 1015: You are being rate limited.</body></html>");
                    return 429;
                }
                if (fault.Global)
                {
                    _globalBlockedUntil = DateTimeOffset.UtcNow.AddSeconds(fault.RetryAfter);
                    response.Headers["X-RateLimit-Global"] = "true";
                }
                response.Headers["Retry-After"] = Math.Ceiling(fault.RetryAfter).ToString(CultureInfo.InvariantCulture);
                response.Headers["X-RateLimit-Scope"] = fault.Global ? "global" : "user";
                response.Headers["Via"] = "1.1 google";
                await response.WriteAsJsonAsync(new { message = "You are being rate limited.", retry_after = fault.RetryAfter, global = fault.Global });
                return 429;
            }
        }
        foreach (var failure in _failures.ToArray())
        {
            if (path.StartsWith(failure.Prefix, StringComparison.Ordinal) && _failures.TryDequeue(out var taken))
            {
                if (taken.Count > 1)
                {
                    _failures.Enqueue(taken with { Count = taken.Count - 1 });
                }
                return await ErrorAsync(response, taken.Status, 0, "server error");
            }
        }
        response.Headers["X-RateLimit-Limit"] = "5";
        response.Headers["X-RateLimit-Remaining"] = "4";
        response.Headers["X-RateLimit-Reset-After"] = "1.0";
        response.Headers["X-RateLimit-Bucket"] = "fake-" + path.Split('/')[0];

        var body = hasBody ? await JsonNode.ParseAsync(request.Body) : null;
        var parts = path.Split('/');
        switch (method, parts)
        {
            case ("GET", ["gateway", "bot"]):
                await response.WriteAsJsonAsync(new
                {
                    url = BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway",
                    shards = 1,
                    session_start_limit = SessionStartLimit is { } limit
                        ? new { total = 1000, remaining = limit.Remaining, reset_after = limit.ResetAfterMs, max_concurrency = 1 }
                        : new { total = 1000, remaining = 1000 - Gateway.Identifies.Count, reset_after = 3_600_000, max_concurrency = 1 },
                });
                return 200;
            case ("POST", ["channels", var channel, "messages"]):
                return await CreateMessageAsync(response, ulong.Parse(channel), body!, webhookOf: null);
            case ("PATCH", ["channels", var channel, "messages", var id]):
                return await EditMessageAsync(response, ulong.Parse(channel), ulong.Parse(id), body!);
            case ("GET", ["channels", _, "messages", var id]):
                if (!Messages.TryGetValue(ulong.Parse(id), out var found))
                {
                    return await ErrorAsync(response, 404, 10008, "Unknown Message");
                }
                await response.WriteAsJsonAsync(ToJson(found));
                return 200;
            case ("POST", ["channels", _, "typing"]):
                Interlocked.Increment(ref TypingCalls);
                response.StatusCode = 204;
                return 204;
            case ("PUT", ["applications", _, .., "commands"]):
                RegisteredCommands.Enqueue(body!);
                await response.WriteAsJsonAsync(body);
                return 200;
            case ("POST", ["interactions", var id, var token, "callback"]):
                return await InteractionCallbackAsync(response, ulong.Parse(id), token, body!);
            case ("PATCH", ["webhooks", _, var token, "messages", "@original"]):
                return await EditOriginalAsync(response, token, body!);
            case ("POST", ["webhooks", _, var token]):
                return await FollowupAsync(response, token, body!);
            case ("PATCH", ["webhooks", _, _, "messages", var id]):
                return await EditMessageAsync(response, null, ulong.Parse(id), body!);
            default:
                return await ErrorAsync(response, 404, 0, $"the fake does not know {method} {path}");
        }
    }

    private async Task<int> CreateMessageAsync(HttpResponse response, ulong channelId, JsonNode body, ulong? webhookOf)
    {
        if (Validate(body) is { } problem)
        {
            return await ErrorAsync(response, 400, problem.Code, problem.Message);
        }
        if (body["nonce"]?.GetValue<string>() is { } nonce && body["enforce_nonce"]?.GetValue<bool>() == true &&
            _nonces.TryGetValue($"{channelId}:{nonce}", out var existing))
        {
            await response.WriteAsJsonAsync(ToJson(Messages[existing]));
            return 200;
        }
        var message = new FakeMessage
        {
            Id = NextId(),
            ChannelId = channelId,
            GuildId = 7,
            AuthorId = BotUserId,
            AuthorIsBot = true,
            ReplyTo = body["message_reference"]?["message_id"] is { } reference ? ulong.Parse(reference.ToString()) : webhookOf,
            Flags = body["flags"]?.GetValue<int>() ?? 0,
            AllowedMentions = body["allowed_mentions"]?.DeepClone(),
        };
        message.Versions.Add((DateTimeOffset.UtcNow, body["content"]!.GetValue<string>()));
        Messages[message.Id] = message;
        if (body["nonce"]?.GetValue<string>() is { } newNonce)
        {
            _nonces[$"{channelId}:{newNonce}"] = message.Id;
        }
        var json = ToJson(message);
        await Gateway.DispatchAsync("MESSAGE_CREATE", json.DeepClone());
        await response.WriteAsJsonAsync(json);
        return 200;
    }

    private async Task<int> EditMessageAsync(HttpResponse response, ulong? channelId, ulong messageId, JsonNode body)
    {
        if (!Messages.TryGetValue(messageId, out var message) || (channelId is not null && message.ChannelId != channelId))
        {
            return await ErrorAsync(response, 404, 10008, "Unknown Message");
        }
        if (message.AuthorId != BotUserId)
        {
            return await ErrorAsync(response, 403, 50005, "Cannot edit a message authored by another user");
        }
        if (Validate(body) is { } problem)
        {
            return await ErrorAsync(response, 400, problem.Code, problem.Message);
        }
        lock (message)
        {
            message.Versions.Add((DateTimeOffset.UtcNow, body["content"]!.GetValue<string>()));
        }
        await response.WriteAsJsonAsync(ToJson(message));
        return 200;
    }

    private async Task<int> InteractionCallbackAsync(HttpResponse response, ulong id, string token, JsonNode body)
    {
        if (!_interactions.TryGetValue(id, out var interaction) || interaction.Token != token ||
            DateTimeOffset.UtcNow - interaction.CreatedAt > TimeSpan.FromSeconds(3))
        {
            return await ErrorAsync(response, 404, 10062, "Unknown interaction");
        }
        if (Interlocked.Increment(ref interaction.Acknowledgements) > 1)
        {
            return await ErrorAsync(response, 400, 40060, "Interaction has already been acknowledged.");
        }
        var type = body["type"]!.GetValue<int>();
        InteractionCallbacks.Enqueue((id, type, DateTimeOffset.UtcNow));
        var original = new FakeMessage { Id = NextId(), ChannelId = interaction.ChannelId, AuthorId = BotUserId, AuthorIsBot = true };
        original.Versions.Add((DateTimeOffset.UtcNow, type == 5 ? "" : body["data"]?["content"]?.GetValue<string>() ?? ""));
        Messages[original.Id] = original;
        interaction.OriginalMessageId = original.Id;
        response.StatusCode = 204;
        return 204;
    }

    private async Task<int> EditOriginalAsync(HttpResponse response, string token, JsonNode body)
    {
        var interaction = _interactions.Values.FirstOrDefault(i => i.Token == token);
        if (interaction?.OriginalMessageId is not { } original)
        {
            return await ErrorAsync(response, 404, 10015, "Unknown Webhook");
        }
        return await EditMessageAsync(response, null, original, body);
    }

    private async Task<int> FollowupAsync(HttpResponse response, string token, JsonNode body)
    {
        var interaction = _interactions.Values.FirstOrDefault(i => i.Token == token);
        if (interaction?.OriginalMessageId is not { } original)
        {
            return await ErrorAsync(response, 404, 10015, "Unknown Webhook");
        }
        return await CreateMessageAsync(response, interaction.ChannelId, body, webhookOf: original);
    }

    /// <summary>The interaction's original response and its follow-ups, in order.</summary>
    public IReadOnlyList<FakeMessage> InteractionMessages(FakeInteraction interaction)
    {
        var chain = new List<FakeMessage>();
        if (interaction.OriginalMessageId is { } original && Messages.TryGetValue(original, out var first))
        {
            chain.Add(first);
            chain.AddRange(ReplyChainOf(original));
        }
        return chain;
    }

    private static (int Code, string Message)? Validate(JsonNode body)
    {
        var content = body["content"]?.GetValue<string>();
        if (string.IsNullOrEmpty(content))
        {
            return (50006, "Cannot send an empty message");
        }
        if (content.Length > 2000)
        {
            return (50035, $"Invalid Form Body: content: Must be 2000 or fewer in length (was {content.Length})");
        }
        return null;
    }

    private static async Task<int> ErrorAsync(HttpResponse response, int status, int code, string message)
    {
        response.StatusCode = status;
        await response.WriteAsJsonAsync(new { message, code });
        return status;
    }

    internal static JsonObject User(ulong id, bool bot) => new()
    {
        ["id"] = id.ToString(),
        ["username"] = id == BotUserId ? "engram" : $"user{id}",
        ["bot"] = bot,
    };

    internal JsonObject ToJson(FakeMessage message)
    {
        var json = new JsonObject
        {
            ["id"] = message.Id.ToString(),
            ["channel_id"] = message.ChannelId.ToString(),
            ["author"] = User(message.AuthorId, message.AuthorIsBot),
            ["content"] = message.Content,
            ["type"] = message.ReplyTo is null ? 0 : 19,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
        };
        if (message.GuildId is { } guild)
        {
            json["guild_id"] = guild.ToString();
        }
        if (message.Content.Contains($"<@{BotUserId}>", StringComparison.Ordinal) || message.Content.Contains($"<@!{BotUserId}>", StringComparison.Ordinal))
        {
            json["mentions"]!.AsArray().Add(User(BotUserId, true));
        }
        if (message.ReplyTo is { } parent && Messages.TryGetValue(parent, out var replied))
        {
            json["message_reference"] = new JsonObject { ["message_id"] = parent.ToString(), ["channel_id"] = message.ChannelId.ToString() };
            // Discord sends the parent one level deep, and a reply pings the replied-to author by default.
            var parentJson = new JsonObject
            {
                ["id"] = replied.Id.ToString(),
                ["channel_id"] = replied.ChannelId.ToString(),
                ["author"] = User(replied.AuthorId, replied.AuthorIsBot),
                ["content"] = replied.Content,
                ["type"] = replied.ReplyTo is null ? 0 : 19,
            };
            if (replied.ReplyTo is { } grandparent)
            {
                parentJson["message_reference"] = new JsonObject { ["message_id"] = grandparent.ToString() };
            }
            json["referenced_message"] = parentJson;
            if (replied.AuthorId == BotUserId && !message.AuthorIsBot)
            {
                json["mentions"]!.AsArray().Add(User(BotUserId, true));
            }
        }
        return json;
    }
}
