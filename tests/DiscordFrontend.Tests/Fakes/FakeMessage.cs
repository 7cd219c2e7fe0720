using System.Text.Json.Nodes;

namespace Engram.DiscordFrontend.Tests.Fakes;

/// <summary>A message the fake Discord holds, with every version of its content and when each was written.</summary>
public sealed class FakeMessage
{
    public required ulong Id { get; init; }
    public required ulong ChannelId { get; init; }
    public ulong? GuildId { get; init; }
    public required ulong AuthorId { get; init; }
    public bool AuthorIsBot { get; init; }
    public ulong? ReplyTo { get; init; }
    public int Flags { get; init; }

    /// <summary>The allowed_mentions the author sent (null when absent).</summary>
    public JsonNode? AllowedMentions { get; init; }

    /// <summary>Every content in order: index 0 is the post, each later one an edit.</summary>
    public List<(DateTimeOffset At, string Content)> Versions { get; } = [];

    public string Content => Versions[^1].Content;

    public int Edits => Versions.Count - 1;
}
