namespace Engram.DiscordFrontend.Replies;

/// <summary>Where a reply's messages live: a reply in a channel, or a slash command's response and follow-ups.</summary>
public interface IReplySurface
{
    ulong ChannelId { get; }

    /// <summary>Posts message <paramref name="index"/> of the reply (0 is the first) and returns its id.</summary>
    Task<ulong> PostAsync(int index, string content, ulong? previousMessageId, CancellationToken cancellationToken);

    Task EditAsync(int index, ulong messageId, string content, CancellationToken cancellationToken);
}
