using System.Threading.Channels;

namespace Engram.Inference.Engine;

/// <summary>
/// One model's admission: one generation at a time (an NPU is single-tenant; the CPU path behaves the same)
/// and a bounded FIFO of waiters. A full queue refuses at once; a waiter that leaves frees its place at once.
/// </summary>
public sealed class GenerationQueue(int capacity, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly LinkedList<QueueTicket> _waiting = new();
    private QueueTicket? _running;
    private long _runningSince;

    public int Capacity { get; } = capacity;

    /// <summary>Waiting requests plus the running one.</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count + (_running is null ? 0 : 1);
            }
        }
    }

    public bool IsBusy
    {
        get
        {
            lock (_lock)
            {
                return _running is not null;
            }
        }
    }

    /// <summary>
    /// When the running request was given the model, on this queue's clock; null when the model is free. A
    /// stall is measured from here at the earliest, not from the last token of an earlier request.
    /// </summary>
    public long? RunningSince
    {
        get
        {
            lock (_lock)
            {
                return _running is null ? null : _runningSince;
            }
        }
    }

    /// <summary>Whether <see cref="TryEnter"/> would admit a request now (a cheap check before expensive work).</summary>
    public bool HasRoom
    {
        get
        {
            lock (_lock)
            {
                return _running is null || _waiting.Count < Capacity;
            }
        }
    }

    /// <summary>A ticket holding a place (position 0 means it may run now), or null when the queue is full.</summary>
    public QueueTicket? TryEnter()
    {
        lock (_lock)
        {
            var ticket = new QueueTicket(this, _time.GetTimestamp());
            if (_running is null && _waiting.Count == 0)
            {
                _running = ticket;
                _runningSince = ticket.EnqueuedAt;
                ticket.Publish(0);
                return ticket;
            }
            if (_waiting.Count >= Capacity)
            {
                return null;
            }
            ticket.Node = _waiting.AddLast(ticket);
            ticket.Publish(_waiting.Count);
            return ticket;
        }
    }

    /// <summary>How long the request at the head of the queue has waited so far; null when nobody waits.</summary>
    public TimeSpan? LongestWait()
    {
        lock (_lock)
        {
            return _waiting.First is { } first ? _time.GetElapsedTime(first.Value.EnqueuedAt) : null;
        }
    }

    internal void Leave(QueueTicket ticket)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_running, ticket))
            {
                _running = null;
                var next = _waiting.First;
                if (next is not null)
                {
                    _waiting.RemoveFirst();
                    next.Value.Node = null;
                    _running = next.Value;
                    _runningSince = _time.GetTimestamp();
                }
            }
            else if (ticket.Node is { } node)
            {
                _waiting.Remove(node);
                ticket.Node = null;
            }
            else
            {
                return; // already left
            }
            _running?.Publish(0);
            var position = 1;
            foreach (var waiter in _waiting)
            {
                waiter.Publish(position++);
            }
        }
    }
}

/// <summary>A place in a <see cref="GenerationQueue"/>. Dispose it to leave the queue or free the running slot.</summary>
public sealed class QueueTicket : IDisposable
{
    private readonly GenerationQueue _queue;
    // Only the latest position matters to the waiter, so older ones are dropped.
    private readonly Channel<int> _positions = Channel.CreateBounded<int>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    internal QueueTicket(GenerationQueue queue, long enqueuedAt)
    {
        _queue = queue;
        EnqueuedAt = enqueuedAt;
    }

    internal long EnqueuedAt { get; }

    internal LinkedListNode<QueueTicket>? Node { get; set; }

    /// <summary>Requests ahead of this one when it last moved; 0 once it holds the slot.</summary>
    public int Position { get; private set; }

    internal void Publish(int position)
    {
        Position = position;
        _positions.Writer.TryWrite(position);
    }

    /// <summary>Waits for the next position change (0 means this ticket now holds the slot).</summary>
    public async ValueTask<int> NextPositionAsync(CancellationToken cancellationToken) =>
        await _positions.Reader.ReadAsync(cancellationToken);

    public void Dispose() => _queue.Leave(this);
}
