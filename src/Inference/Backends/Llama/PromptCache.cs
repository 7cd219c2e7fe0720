namespace Engram.Inference.Backends.Llama;

/// <summary>The KV-cache operations the prompt cache needs: llama.cpp's memory calls on the model's one context.</summary>
internal interface IKvSequences
{
    /// <summary>Drops a sequence's positions from <paramref name="from"/> on (0: the whole sequence).</summary>
    void Truncate(int sequence, int from);

    /// <summary>Makes <paramref name="destination"/> share the first <paramref name="length"/> positions of <paramref name="source"/> (no copy in a unified cache).</summary>
    void Share(int source, int destination, int length);
}

/// <summary>
/// The KV cache of a model's one context as a few cached sequences (conversations), so a request that starts
/// like an earlier one prefills only what is new. A request continues the sequence it shares the longest token
/// prefix with when that prefix is most of it (a conversation's next turn); otherwise it starts a sequence of
/// its own on the least recently used one, sharing the common prefix (a system prompt) without copying it.
/// The context's cells are shared by all sequences: the cache counts them exactly as a unified llama.cpp cache
/// does (a cell is in use while any sequence holds it) and drops least recently used sequences when a decode
/// needs room. Not thread-safe: the engine runs one generation per model at a time.
/// </summary>
internal sealed class PromptCache
{
    private readonly Sequence[] _sequences;
    private readonly IKvSequences _kv;
    private readonly int _capacity;
    private readonly Dictionary<int, int> _cellHolders = [];
    private int _nextCell;
    private long _clock;

    /// <param name="slots">Cached sequences kept; 0 keeps nothing between requests (one sequence, emptied each time).</param>
    public PromptCache(int slots, int capacity, IKvSequences kv)
    {
        Reuse = slots > 0;
        _sequences = Enumerable.Range(0, Math.Max(1, slots)).Select(i => new Sequence(i)).ToArray();
        _capacity = capacity;
        _kv = kv;
    }

    /// <summary>Whether requests may start from a cached prefix.</summary>
    public bool Reuse { get; }

    /// <summary>Sequences the context is created for (llama.cpp's n_seq_max).</summary>
    public int SequenceCount => _sequences.Length;

    public int CellsInUse => _cellHolders.Count;

    public int PeakCells { get; private set; }

    public int FreeCells => _capacity - CellsInUse;

    /// <summary>Sequences holding tokens for a later request.</summary>
    public int CachedSequences => _sequences.Count(s => s.Tokens.Count > 0);

    /// <summary>
    /// Picks the sequence <paramref name="prompt"/> runs in and prepares it: what it holds beyond the reused prefix
    /// is dropped. At least the prompt's last token is always evaluated again (its logits start the generation).
    /// </summary>
    public PromptLease Acquire(IReadOnlyList<int> prompt)
    {
        var limit = Math.Max(0, prompt.Count - 1);
        Sequence? best = null;
        var bestLength = 0;
        foreach (var sequence in _sequences.Where(_ => Reuse))
        {
            var length = Math.Min(limit, CommonPrefix(sequence.Tokens, prompt));
            if (length > bestLength || (length == bestLength && best is not null && length > 0 && sequence.LastUsed > best.LastUsed))
            {
                (best, bestLength) = (sequence, length);
            }
        }

        Sequence target;
        if (best is not null && bestLength > 0 && (bestLength * 2 >= best.Tokens.Count || _sequences.Length == 1))
        {
            target = best; // the same conversation, one turn on: keep its prefix, drop the rest
            Truncate(target, bestLength);
        }
        else
        {
            target = _sequences.Where(s => s != best).OrderBy(s => s.Tokens.Count > 0).ThenBy(s => s.LastUsed).FirstOrDefault() ?? _sequences[0];
            Truncate(target, 0);
            if (best is not null && bestLength > 0 && target != best)
            {
                _kv.Share(best.Id, target.Id, bestLength);
                target.Cells.AddRange(best.Cells.Take(bestLength));
                target.Tokens.AddRange(best.Tokens.Take(bestLength));
                foreach (var cell in target.Cells)
                {
                    _cellHolders[cell]++;
                }
            }
            else
            {
                bestLength = 0;
            }
        }
        target.LastUsed = ++_clock;
        return new PromptLease(target.Id, bestLength);
    }

    /// <summary>Records tokens the context has just evaluated into the lease's sequence (each takes a new cell).</summary>
    public void Evaluated(PromptLease lease, ReadOnlySpan<int> tokens)
    {
        var sequence = _sequences[lease.Sequence];
        foreach (var token in tokens)
        {
            var cell = _nextCell++;
            _cellHolders[cell] = 1;
            sequence.Cells.Add(cell);
            sequence.Tokens.Add(token);
        }
        PeakCells = Math.Max(PeakCells, CellsInUse);
    }

    /// <summary>
    /// Frees at least <paramref name="cells"/> cells for the lease's next decode by dropping other sequences, least
    /// recently used first; false if even that cannot (the lease's own sequence fills the context).
    /// </summary>
    public bool MakeRoom(PromptLease lease, int cells)
    {
        while (FreeCells < cells)
        {
            var victim = _sequences.Where(s => s.Id != lease.Sequence && s.Tokens.Count > 0).OrderBy(s => s.LastUsed).FirstOrDefault();
            if (victim is null)
            {
                return false;
            }
            Truncate(victim, 0);
        }
        return true;
    }

    /// <summary>After a request: its sequence stays for reuse, or is emptied when reuse is off or its state is unknown (a failed decode).</summary>
    public void Release(PromptLease lease, bool intact)
    {
        if (!Reuse || !intact)
        {
            Truncate(_sequences[lease.Sequence], 0);
        }
    }

    private void Truncate(Sequence sequence, int from)
    {
        if (sequence.Tokens.Count > from || from == 0)
        {
            _kv.Truncate(sequence.Id, from);
        }
        for (var i = from; i < sequence.Cells.Count; i++)
        {
            var cell = sequence.Cells[i];
            if (--_cellHolders[cell] == 0)
            {
                _cellHolders.Remove(cell);
            }
        }
        if (from < sequence.Cells.Count)
        {
            sequence.Cells.RemoveRange(from, sequence.Cells.Count - from);
            sequence.Tokens.RemoveRange(from, sequence.Tokens.Count - from);
        }
    }

    private static int CommonPrefix(List<int> cached, IReadOnlyList<int> prompt)
    {
        var length = Math.Min(cached.Count, prompt.Count);
        var i = 0;
        while (i < length && cached[i] == prompt[i])
        {
            i++;
        }
        return i;
    }

    private sealed class Sequence(int id)
    {
        public int Id { get; } = id;
        public List<int> Tokens { get; } = [];
        public List<int> Cells { get; } = [];
        public long LastUsed { get; set; }
    }
}

/// <summary>The sequence a request runs in, and how many of its prompt's tokens were already there.</summary>
internal readonly record struct PromptLease(int Sequence, int CachedTokens);
