namespace Engram.Inference.Engine;

/// <summary>
/// Finds stop strings in streamed text. Text that could still be the start of a stop string is held back,
/// so a stop string is never partly streamed before it is recognised.
/// </summary>
public sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private string _pending = "";

    /// <summary>The stop string that matched, once one has.</summary>
    public string? Matched { get; private set; }

    /// <summary>Adds text; returns what may be streamed now. After a match, the text before the stop string.</summary>
    public string Append(string text)
    {
        if (stops.Count == 0)
        {
            return text;
        }
        _pending += text;
        var firstIndex = -1;
        foreach (var stop in stops)
        {
            var index = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (firstIndex < 0 || index < firstIndex))
            {
                firstIndex = index;
                Matched = stop;
            }
        }
        if (firstIndex >= 0)
        {
            var before = _pending[..firstIndex];
            _pending = "";
            return before;
        }
        var hold = LongestSuffixThatStartsAStop();
        var ready = _pending[..^hold];
        _pending = _pending[^hold..];
        return ready;
    }

    /// <summary>Generation ended without a match: release what was held back.</summary>
    public string Flush()
    {
        var rest = _pending;
        _pending = "";
        return rest;
    }

    private int LongestSuffixThatStartsAStop()
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, _pending.Length); length > longest; length--)
            {
                if (_pending.AsSpan(_pending.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
