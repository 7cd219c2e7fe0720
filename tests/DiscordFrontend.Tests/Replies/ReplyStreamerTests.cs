using Engram.DiscordFrontend.Limits;
using Engram.DiscordFrontend.Replies;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.Replies;

/// <summary>How a streamed reply reaches Discord: what is posted and edited, and in which order.</summary>
public sealed class ReplyStreamerTests
{
    /// <summary>Records every push, and what the chain looked like right after it.</summary>
    private sealed class RecordingSurface : IReplySurface
    {
        private readonly List<string> _contents = [];
        public List<string> Pushes { get; } = [];
        public List<bool> ChainLooksFinished { get; } = [];

        public ulong ChannelId => 1;

        public Task<ulong> PostAsync(int index, string content, ulong? previousMessageId, CancellationToken cancellationToken)
        {
            lock (_contents)
            {
                _contents.Add(content);
                Record($"post {index}");
                return Task.FromResult((ulong)(100 + index));
            }
        }

        public Task EditAsync(int index, ulong messageId, string content, CancellationToken cancellationToken)
        {
            lock (_contents)
            {
                _contents[index] = content;
                Record($"edit {index}");
                return Task.CompletedTask;
            }
        }

        private void Record(string push)
        {
            Pushes.Add(push);
            ChainLooksFinished.Add(!_contents[^1].Contains("-# ", StringComparison.Ordinal));
        }
    }

    private static ReplyStreamer Streamer(RecordingSurface surface) =>
        new(surface, new SlidingWindowLimiter<ulong>(1000, TimeSpan.FromSeconds(1), TimeProvider.System), TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

    [Fact]
    public async Task AReplyOutgrowingItsMessage_PostsTheNextPartBeforeTheEarlierLosesItsStatus()
    {
        var surface = new RecordingSurface();
        var streamer = Streamer(surface);
        await TestTimeouts.Eventually(() => Task.FromResult(surface.Pushes.Count > 0), "the placeholder posted");

        streamer.Append(string.Join(" ", Enumerable.Range(0, 200).Select(i => $"word{i}")));
        await TestTimeouts.Eventually(() => Task.FromResult(surface.Pushes.Count > 1), "the first text shown");
        streamer.Append(" " + string.Join(" ", Enumerable.Range(200, 400).Select(i => $"word{i}"))); // well past 2000 characters
        await streamer.CompleteAsync(null).WithTimeout();

        Assert.Contains("post 1", surface.Pushes);
        Assert.True(surface.Pushes.IndexOf("post 1") < surface.Pushes.LastIndexOf("edit 0"), string.Join(", ", surface.Pushes));
        // Only the very last push leaves the chain without a status line.
        Assert.Equal([.. Enumerable.Repeat(false, surface.Pushes.Count - 1), true], surface.ChainLooksFinished);
    }
}
