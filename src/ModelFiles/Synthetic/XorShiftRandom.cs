namespace Engram.ModelFiles.Synthetic;

/// <summary>xorshift64*: fast, seedable, and the same on every platform and .NET version.</summary>
public struct XorShiftRandom(ulong seed)
{
    private ulong _state = seed == 0 ? 0x2545F4914F6CDD1DUL : seed;

    public ulong NextUInt64()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));
}
