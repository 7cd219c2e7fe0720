using System.Collections.Concurrent;

namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// One budget of message sends and edits per channel, shared by every reply streaming into it (Discord
/// allows about 5 per 5 s per channel; edits are not documented, so stay under it and let 429s correct us).
/// </summary>
public sealed class ChannelEditBudget(int operations, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<ulong, Window> _channels = new();

    /// <summary>Waits until the channel has room, then takes one operation from its budget.</summary>
    public async Task TakeAsync(ulong channelId, CancellationToken cancellationToken)
    {
        var channel = _channels.GetOrAdd(channelId, _ => new Window());
        while (true)
        {
            TimeSpan wait;
            lock (channel)
            {
                while (channel.Recent.Count > 0 && time.GetElapsedTime(channel.Recent.Peek()) >= window)
                {
                    channel.Recent.Dequeue();
                }
                if (channel.Recent.Count < operations)
                {
                    channel.Recent.Enqueue(time.GetTimestamp());
                    return;
                }
                wait = window - time.GetElapsedTime(channel.Recent.Peek());
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private sealed class Window
    {
        public Queue<long> Recent { get; } = new();
    }
}
