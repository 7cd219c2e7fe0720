using System.Text;

namespace Engram.Inference.Engine;

/// <summary>
/// Turns token bytes into text that never ends inside a character: a multi-byte UTF-8 sequence split
/// across tokens is held back until its last byte arrives. Bytes that can never form a character become
/// U+FFFD, so what leaves is always valid UTF-8.
/// </summary>
public sealed class Utf8TokenAssembler
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly List<byte> _pending = [];

    /// <summary>Adds one token's bytes and returns the text that is now complete (possibly empty).</summary>
    public string Append(ReadOnlySpan<byte> tokenBytes)
    {
        _pending.AddRange(tokenBytes);
        var complete = _pending.Count - IncompleteTailLength();
        return Take(complete);
    }

    /// <summary>Ends the stream: whatever is held back is emitted, an unfinished character as U+FFFD.</summary>
    public string Flush() => Take(_pending.Count);

    private string Take(int count)
    {
        if (count == 0)
        {
            return "";
        }
        var text = Utf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[..count]);
        _pending.RemoveRange(0, count);
        return text;
    }

    // Length of a trailing sequence that has a valid lead byte but not yet all of its continuation bytes.
    private int IncompleteTailLength()
    {
        var n = _pending.Count;
        for (var back = 1; back <= Math.Min(3, n); back++)
        {
            var b = _pending[n - back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: keep looking for the lead
            }
            var needed = b switch
            {
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 0,
            };
            return needed > back ? back : 0;
        }
        return 0;
    }
}
