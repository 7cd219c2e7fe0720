using Engram.Inference.Backends.Llama;

namespace Engram.Inference.Tests.Backends;

/// <summary>
/// The llama backend's prompt cache: which sequence a request runs in, how much of its prompt is reused, what is
/// dropped from the KV cache and when, and the context's cells counted as a unified llama.cpp cache counts them.
/// </summary>
public sealed class PromptCacheTests
{
    /// <summary>Records the KV operations the cache asks for, as llama.cpp would receive them.</summary>
    private sealed class RecordingKv : IKvSequences
    {
        public List<string> Operations { get; } = [];

        public void Truncate(int sequence, int from) => Operations.Add($"rm {sequence} {from}..");

        public void Share(int source, int destination, int length) => Operations.Add($"cp {source}->{destination} ..{length}");
    }

    private readonly RecordingKv _kv = new();

    private static int[] Tokens(params int[][] parts) => parts.SelectMany(p => p).ToArray();

    private static int[] Range(int from, int count) => Enumerable.Range(from, count).ToArray();

    /// <summary>Runs one request as the decode loop does: its prompt's new part, then the generated tokens.</summary>
    private PromptLease Run(PromptCache cache, int[] prompt, int[] generated)
    {
        var lease = cache.Acquire(prompt);
        cache.Evaluated(lease, prompt.AsSpan(lease.CachedTokens));
        cache.Evaluated(lease, generated);
        cache.Release(lease, intact: true);
        return lease;
    }

    [Fact]
    public void AConversationsNextTurn_ReusesEverythingTheFirstTurnLeftInTheCache()
    {
        var cache = new PromptCache(slots: 4, capacity: 1024, _kv);
        var turn1 = Range(0, 50);
        var reply = Range(500, 20);
        Run(cache, turn1, reply);

        var turn2 = Tokens(turn1, reply, Range(900, 30));
        var lease = cache.Acquire(turn2);

        Assert.Equal(70, lease.CachedTokens); // the first turn's prompt and its reply
        Assert.Equal(0, lease.Sequence);
        Assert.Equal(70, cache.CellsInUse);
    }

    [Fact]
    public void TheSamePromptAgain_EvaluatesItsLastTokenAgain_ForTheLogitsThatStartTheGeneration()
    {
        var cache = new PromptCache(slots: 4, capacity: 1024, _kv);
        var prompt = Range(0, 40);
        Run(cache, prompt, Range(500, 10));

        var lease = cache.Acquire(prompt);

        Assert.Equal(39, lease.CachedTokens);
        Assert.Equal("rm 0 39..", _kv.Operations[^1]); // the old reply and the prompt's last token go
        Assert.Equal(39, cache.CellsInUse);
    }

    [Fact]
    public void AnotherConversationWithTheSameSystemPrompt_SharesThatPrefix_AndLeavesTheFirstConversationWhole()
    {
        var cache = new PromptCache(slots: 4, capacity: 1024, _kv);
        var system = Range(0, 30);
        var first = Tokens(system, Range(100, 40));
        Run(cache, first, Range(500, 20));

        var second = cache.Acquire(Tokens(system, Range(200, 40)));

        Assert.Equal(30, second.CachedTokens);
        Assert.NotEqual(0, second.Sequence);
        Assert.Equal($"cp 0->{second.Sequence} ..30", _kv.Operations[^1]);
        Assert.Equal(90, cache.CellsInUse); // the shared 30 are held once
        cache.Release(second, intact: true);
        var firstAgain = cache.Acquire(Tokens(first, Range(500, 20), Range(300, 5)));
        Assert.Equal((0, 90), (firstAgain.Sequence, firstAgain.CachedTokens));
    }

    [Fact]
    public void WithEverySlotTaken_TheLeastRecentlyUsedConversationMakesWay()
    {
        var cache = new PromptCache(slots: 2, capacity: 4096, _kv);
        var a = Range(0, 20);
        var b = Range(1000, 20);
        var c = Range(2000, 20);
        var leaseA = Run(cache, a, []);
        var leaseB = Run(cache, b, []);
        Run(cache, Tokens(a, Range(10, 3)), []); // a is used again: b is now the oldest

        var leaseC = Run(cache, c, []);

        Assert.NotEqual(leaseA.Sequence, leaseB.Sequence);
        Assert.Equal(leaseB.Sequence, leaseC.Sequence);
        Assert.Equal(23, cache.Acquire(Tokens(a, Range(10, 3), [7])).CachedTokens); // a is still there
        Assert.Equal(0, cache.Acquire(Tokens(b, [7])).CachedTokens); // b was dropped
    }

    [Fact]
    public void ADecodeThatNeedsRoom_DropsOtherConversationsOldestFirst_ButNeverItsOwn()
    {
        var cache = new PromptCache(slots: 3, capacity: 100, _kv);
        Run(cache, Range(0, 30), []);
        Run(cache, Range(1000, 30), []);
        var current = cache.Acquire(Range(2000, 30));
        cache.Evaluated(current, Range(2000, 30));

        Assert.True(cache.MakeRoom(current, 30)); // 90 in use: the oldest (30) goes
        Assert.Equal(60, cache.CellsInUse);
        Assert.Equal(2, cache.CachedSequences);
        Assert.True(cache.MakeRoom(current, 70));
        Assert.Equal(30, cache.CellsInUse);
        Assert.False(cache.MakeRoom(current, 71)); // only its own sequence is left
        Assert.Equal(90, cache.PeakCells);
    }

    [Fact]
    public void WithReuseOff_EveryRequestStartsFromAnEmptyCache()
    {
        var cache = new PromptCache(slots: 0, capacity: 1024, _kv);
        var prompt = Range(0, 40);
        Run(cache, prompt, Range(500, 10));

        var lease = cache.Acquire(Tokens(prompt, Range(500, 10), Range(700, 5)));

        Assert.Equal(0, lease.CachedTokens);
        Assert.Equal(1, cache.SequenceCount);
        Assert.Equal(0, cache.CellsInUse);
        Assert.All(_kv.Operations, o => Assert.Equal("rm 0 0..", o));
    }

    [Fact]
    public void ASequenceWhoseDecodeFailed_IsEmptied_AndNotReused()
    {
        var cache = new PromptCache(slots: 4, capacity: 1024, _kv);
        var prompt = Range(0, 40);
        var lease = cache.Acquire(prompt);
        cache.Evaluated(lease, prompt);

        cache.Release(lease, intact: false);

        Assert.Equal($"rm {lease.Sequence} 0..", _kv.Operations[^1]);
        Assert.Equal(0, cache.CellsInUse);
        Assert.Equal(0, cache.Acquire(prompt).CachedTokens);
    }
}
