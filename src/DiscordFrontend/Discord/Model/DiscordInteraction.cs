using System.Text.Json;

namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>An INTERACTION_CREATE: a slash command invocation, answered over HTTP with its token.</summary>
public sealed record DiscordInteraction
{
    public const int ApplicationCommand = 2;

    public ulong Id { get; init; }
    public ulong ApplicationId { get; init; }
    public int Type { get; init; }
    public InteractionData? Data { get; init; }
    public ulong? GuildId { get; init; }
    public ulong? ChannelId { get; init; }

    /// <summary>The invoking member in a guild; <see cref="User"/> in a DM.</summary>
    public GuildMember? Member { get; init; }

    public DiscordUser? User { get; init; }
    public string Token { get; init; } = "";

    public DiscordUser Invoker => Member?.User ?? User ?? new DiscordUser();

    public string? StringOption(string name) =>
        Data?.Options.FirstOrDefault(o => o.Name == name) is { Value.ValueKind: JsonValueKind.String } option ? option.Value.GetString() : null;
}

public sealed record InteractionData
{
    public string Name { get; init; } = "";
    public IReadOnlyList<InteractionOption> Options { get; init; } = [];
}

public sealed record InteractionOption
{
    public string Name { get; init; } = "";
    public int Type { get; init; }
    public JsonElement Value { get; init; }
}

/// <summary>The first answer to an interaction (callback type 4 or 5), due within 3 seconds.</summary>
public sealed record InteractionResponse(int Type, MessageDraft? Data = null)
{
    public const int ChannelMessageWithSource = 4;
    public const int DeferredChannelMessageWithSource = 5;

    public static InteractionResponse Deferred { get; } = new(DeferredChannelMessageWithSource);
}
