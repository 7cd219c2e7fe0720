using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engram.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Tests.Fakes;

/// <summary>
/// A local Discord: REST (messages, typing, commands, interactions, webhooks) that checks what real Discord
/// checks (bot auth, user agent, JSON, 2000 characters, empty messages, the 3-second interaction deadline,
/// single acknowledgement) and sends rate-limit headers; plus the gateway (<see cref="Gateway"/>). Switches
/// inject Discord's faults: 429 with retry_after, a global 429, an HTML 429, slow answers, a rejected token.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    public const string Token = "fake-bot-token";
    public const ulong BotUserId = 900_000_000_000_000_001;
    public const ulong ApplicationId = 900_000_000_000_000_002;

    private readonly WebApplication _app;
    private long _nextId = 1_000_000_000_000_000_000;

    private FakeDiscordServer(WebApplication app)
    {
        _app = app;
        Gateway = new FakeGateway(this);
    }

    public FakeGateway Gateway { get; }

    public string BaseUrl { get; private set; } = "";

    public string ApiBaseUrl => BaseUrl + "/api";

    /// <summary>Every message, by id (user messages the tests post and the bot's).</summary>
    public ConcurrentDictionary<ulong, FakeMessage> Messages { get; } = new();

    /// <summary>Every REST request: method, path, status answered, when.</summary>
    public ConcurrentQueue<(string Method, string Path, int Status, DateTimeOffset At)> Requests { get; } = new();

    public ConcurrentQueue<JsonNode> RegisteredCommands { get; } = new();

    public ConcurrentQueue<(ulong InteractionId, int Type, DateTimeOffset At)> InteractionCallbacks { get; } = new();

    public int TypingCalls;

    /// <summary>Requests that arrived while a global rate limit was in force.</summary>
    public int GlobalLimitHits;

    // ---- fault switches ----

    /// <summary>The next N requests matching the path prefix get 429 with this retry_after (seconds).</summary>
    public void RateLimitNext(string pathPrefix, double retryAfterSeconds, int count = 1, bool global = false) =>
        _rateLimits.Enqueue(new RateLimitFault(pathPrefix, retryAfterSeconds, count, global));

    /// <summary>The next request matching gets an HTML 429 from "Cloudflare".</summary>
    public void HtmlRateLimitNext(string pathPrefix) => _rateLimits.Enqueue(new RateLimitFault(pathPrefix, 0, 1, false, Html: true));

    /// <summary>Every answer is delayed this long (slow REST).</summary>
    public TimeSpan RestDelay { get; set; }

    /// <summary>What GET /gateway/bot says of today's session starts (null: 1000 minus the identifies so far).</summary>
    public (int Remaining, int ResetAfterMs)? SessionStartLimit { get; set; }

    /// <summary>Refuse the token with 401 everywhere.</summary>
    public bool RejectToken { get; set; }

    /// <summary>The next N requests matching get this server error.</summary>
    public void FailNext(string pathPrefix, int status, int count = 1) => _failures.Enqueue((pathPrefix, status, count));

    private sealed record RateLimitFault(string PathPrefix, double RetryAfter, int Count, bool Global, bool Html = false)
    {
        public int Remaining = Count;
    }

    private readonly ConcurrentQueue<RateLimitFault> _rateLimits = new();
    private readonly ConcurrentQueue<(string Prefix, int Status, int Count)> _failures = new();
    private readonly ConcurrentDictionary<string, ulong> _nonces = new();
    private readonly ConcurrentDictionary<ulong, FakeInteraction> _interactions = new();
    private DateTimeOffset _globalBlockedUntil;

    public static async Task<FakeDiscordServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeDiscordServer(app);
        app.UseWebSockets();
        app.Map("/gateway", context => server.Gateway.AcceptAsync(context, resumeUrl: false));
        app.Map("/resume", context => server.Gateway.AcceptAsync(context, resumeUrl: true));
        app.Map("/api/v10/{**path}", server.HandleRestAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    public ulong NextId() => (ulong)Interlocked.Increment(ref _nextId);

    /// <summary>A user writes a message; Discord stores it and dispatches MESSAGE_CREATE to the bot.</summary>
    public async Task<FakeMessage> PostUserMessageAsync(ulong channelId, string content, ulong authorId = 42, ulong? guildId = 7,
        ulong? replyTo = null, bool authorIsBot = false, IReadOnlyList<ulong>? roles = null)
    {
        var message = new FakeMessage { Id = NextId(), ChannelId = channelId, GuildId = guildId, AuthorId = authorId, AuthorIsBot = authorIsBot, ReplyTo = replyTo };
        message.Versions.Add((DateTimeOffset.UtcNow, content));
        Messages[message.Id] = message;
        var payload = ToJson(message);
        if (roles is not null && guildId is not null)
        {
            payload["member"] = new JsonObject { ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r.ToString()).ToArray()) };
        }
        await Gateway.DispatchAsync("MESSAGE_CREATE", payload);
        return message;
    }

    /// <summary>A user runs a slash command; Discord dispatches INTERACTION_CREATE.</summary>
    public async Task<FakeInteraction> InvokeCommandAsync(string name, ulong channelId, string? prompt = null, ulong userId = 42)
    {
        var interaction = new FakeInteraction(NextId(), $"itoken-{Guid.NewGuid():N}", channelId, DateTimeOffset.UtcNow);
        _interactions[interaction.Id] = interaction;
        var options = new JsonArray();
        if (prompt is not null)
        {
            options.Add(new JsonObject { ["name"] = "prompt", ["type"] = 3, ["value"] = prompt });
        }
        await Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = interaction.Id.ToString(),
            ["application_id"] = ApplicationId.ToString(),
            ["type"] = 2,
            ["token"] = interaction.Token,
            ["channel_id"] = channelId.ToString(),
            ["guild_id"] = "7",
            ["member"] = new JsonObject { ["user"] = User(userId, false), ["roles"] = new JsonArray() },
            ["data"] = new JsonObject { ["name"] = name, ["type"] = 1, ["options"] = options },
            ["version"] = 1,
        });
        return interaction;
    }

    /// <summary>The bot's messages answering <paramref name="messageId"/>, then their continuations, in order.</summary>
    public IReadOnlyList<FakeMessage> ReplyChainOf(ulong messageId)
    {
        var chain = new List<FakeMessage>();
        var parent = messageId;
        while (Messages.Values.Where(m => m.AuthorId == BotUserId && m.ReplyTo == parent).OrderBy(m => m.Id).FirstOrDefault() is { } next)
        {
            chain.Add(next);
            parent = next.Id;
        }
        return chain;
    }

    public IReadOnlyList<FakeMessage> BotRepliesTo(ulong messageId) =>
        Messages.Values.Where(m => m.AuthorId == BotUserId && m.ReplyTo == messageId).OrderBy(m => m.Id).ToList();

    /// <summary>Polls until <paramref name="condition"/> holds, or fails with what was seen.</summary>
    public async Task<T> WaitForAsync<T>(Func<T?> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Default);
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = probe();
            if (last is not null && condition(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"timed out waiting for {what}; last seen: {JsonSerializer.Serialize(last)}; requests: " +
            string.Join(", ", Requests.TakeLast(10).Select(r => $"{r.Method} {r.Path} {r.Status}")));
    }

    /// <summary>Waits until the bot's reply to a message is final: its last part has no in-progress status line.</summary>
    public Task<IReadOnlyList<FakeMessage>> WaitForFinalReplyAsync(ulong messageId, TimeSpan? timeout = null) =>
        WaitForAsync(() => ReplyChainOf(messageId), chain => chain.Count > 0 && !IsInProgress(chain[^1].Content),
            $"a final reply to {messageId}", timeout);

    public static bool IsInProgress(string content) =>
        content.Contains("-# ⏳", StringComparison.Ordinal) || content.Contains("-# ✍️", StringComparison.Ordinal) ||
        content.Contains("retrying…", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record FakeInteraction(ulong Id, string Token, ulong ChannelId, DateTimeOffset CreatedAt)
{
    public int Acknowledgements;
    public ulong? OriginalMessageId;
}
