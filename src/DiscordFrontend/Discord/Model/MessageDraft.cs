namespace Engram.DiscordFrontend.Discord.Model;

/// <summary>The body of a message the bot creates or edits.</summary>
public sealed record MessageDraft
{
    /// <summary>Discord's limit on <see cref="Content"/>.</summary>
    public const int MaxContentLength = 2000;

    public const int SuppressNotifications = 1 << 12;
    public const int Ephemeral = 1 << 6;

    public string? Content { get; init; }

    /// <summary>Always sent, and empty: generated text must never ping anyone (Discord's default parses @everyone).</summary>
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    public MessageReference? MessageReference { get; init; }
    public int? Flags { get; init; }

    /// <summary>With <see cref="EnforceNonce"/>, a retried create returns the first message instead of posting twice.</summary>
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }

    /// <summary>The draft as an edit or a webhook message takes it: no reply reference, no nonce.</summary>
    public MessageDraft WithoutCreateFields() => this with { MessageReference = null, Nonce = null, EnforceNonce = null };
}

public sealed record AllowedMentions
{
    public static AllowedMentions None { get; } = new();

    public IReadOnlyList<string> Parse { get; init; } = [];
    public bool RepliedUser { get; init; }
}
