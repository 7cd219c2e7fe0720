using Engram.DiscordFrontend.Limits;
using System.Text;
using System.Threading.Channels;

namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// Streams one reply into Discord by editing its message as text arrives. Producers only change the state;
/// one flush loop writes, at most one push per <c>editInterval</c> and within the channel's shared budget,
/// always with the newest text (intermediate states are coalesced away) and always ending with the final text.
/// </summary>
public sealed class ReplyStreamer
{
    private readonly IReplySurface _surface;
    private readonly SlidingWindowLimiter<ulong> _budget;
    private readonly TimeSpan _editInterval;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    // Capacity one, newest wins: a signal that something changed, not a queue of changes.
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<(ulong Id, string Content)> _messages = [];
    private readonly Task _flusher;
    private readonly CancellationToken _cancellationToken;
    private ReplyStatus? _status = ReplyStatus.Thinking;
    private bool _complete;
    private bool _replaceOnNextText;
    private long? _lastPush;

    public ReplyStreamer(IReplySurface surface, SlidingWindowLimiter<ulong> budget, TimeSpan editInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        _surface = surface;
        _budget = budget;
        _editInterval = editInterval;
        _time = time;
        _cancellationToken = cancellationToken;
        _changed.Writer.TryWrite(true); // the placeholder goes out at once
        _flusher = Task.Run(FlushLoopAsync, CancellationToken.None);
    }

    /// <summary>Ids of the messages posted so far, in order.</summary>
    public IReadOnlyList<ulong> MessageIds
    {
        get
        {
            lock (_lock)
            {
                return _messages.Select(m => m.Id).ToArray();
            }
        }
    }

    /// <summary>The text so far, as the model produced it.</summary>
    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Faults when Discord refused a push (the reply cannot be shown any more).</summary>
    public Task Completion => _flusher;

    /// <summary>Pushes made (posts and edits), for logs.</summary>
    public int Pushes { get; private set; }

    public void SetStatus(ReplyStatus status) => Change(() => _status = status);

    public void Append(string text) => Change(() =>
    {
        if (_replaceOnNextText)
        {
            _text.Clear();
            _replaceOnNextText = false;
        }
        _text.Append(text);
        _status = ReplyStatus.Generating;
    });

    /// <summary>A retry is starting: the text shown stays until the new answer's first text replaces it.</summary>
    public void ReplaceOnNextText() => Change(() => _replaceOnNextText = true);

    /// <summary>Ends the reply with its final text and an optional closing note, and waits until Discord shows it.</summary>
    public async Task CompleteAsync(ReplyStatus? note)
    {
        Change(() =>
        {
            _status = note;
            _complete = true;
            if (_replaceOnNextText && note is not null)
            {
                _replaceOnNextText = false; // the old text stays, explained by the note
            }
        });
        await _flusher;
    }

    private void Change(Action change)
    {
        lock (_lock)
        {
            change();
        }
        _changed.Writer.TryWrite(true);
    }

    private async Task FlushLoopAsync()
    {
        while (await _changed.Reader.WaitToReadAsync(_cancellationToken))
        {
            _changed.Reader.TryRead(out _);
            if (_lastPush is { } last && _time.GetElapsedTime(last) is var since && since < _editInterval)
            {
                await Task.Delay(_editInterval - since, _time, _cancellationToken);
            }
            IReadOnlyList<string> contents;
            bool complete;
            lock (_lock)
            {
                complete = _complete;
                contents = ReplyRenderer.Render(_text.ToString(), _status, complete);
            }
            await PushAsync(contents, complete);
            if (complete)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Brings the messages to <paramref name="contents"/>: new parts are posted first, each still saying the reply is
    /// being written unless it already carries the live status, then parts are edited in order, so the chain's last
    /// message never looks finished (no status line, nothing after it) before the whole reply is there.
    /// </summary>
    private async Task PushAsync(IReadOnlyList<string> contents, bool complete)
    {
        for (var i = _messages.Count; i < contents.Count; i++)
        {
            var carriesLiveStatus = i == contents.Count - 1 && !complete;
            var content = carriesLiveStatus ? contents[i] : ReplyRenderer.WithStatus(contents[i], ReplyStatus.Generating);
            await _budget.AcquireAsync(_surface.ChannelId, _cancellationToken);
            var id = await _surface.PostAsync(i, content, i == 0 ? null : _messages[i - 1].Id, _cancellationToken);
            lock (_lock)
            {
                _messages.Add((id, content));
            }
            Pushes++;
        }
        for (var i = 0; i < _messages.Count; i++)
        {
            // A retry's answer can be shorter than the text it replaced: its extra parts say so.
            var content = i < contents.Count ? contents[i] : "-# (superseded by the reply above)";
            if (_messages[i].Content == content)
            {
                continue;
            }
            await _budget.AcquireAsync(_surface.ChannelId, _cancellationToken);
            await _surface.EditAsync(i, _messages[i].Id, content, _cancellationToken);
            lock (_lock)
            {
                _messages[i] = (_messages[i].Id, content);
            }
            Pushes++;
        }
        _lastPush = _time.GetTimestamp();
    }
}
