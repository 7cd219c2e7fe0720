namespace Engram.DiscordFrontend.Hosting;

/// <summary>
/// Remembers the last few thousand message and interaction ids handled, so an event Discord delivers again
/// (replayed on resume, or duplicated) never gets a second answer.
/// </summary>
public sealed class HandledEvents(int capacity = 4096)
{
    private readonly HashSet<ulong> _seen = [];
    private readonly Queue<ulong> _order = new();
    private readonly Lock _lock = new();

    /// <summary>True the first time an id is seen.</summary>
    public bool TryClaim(ulong id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id))
            {
                return false;
            }
            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }
            return true;
        }
    }
}
