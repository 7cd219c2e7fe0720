using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void Append_WithoutStops_PassesTextThrough()
    {
        var matcher = new StopSequenceMatcher([]);

        Assert.Equal("anything", matcher.Append("anything"));
        Assert.Null(matcher.Matched);
    }

    [Fact]
    public void Append_StopInsideOneChunk_ReturnsTextBeforeIt()
    {
        var matcher = new StopSequenceMatcher(["\n\n"]);

        Assert.Equal("one", matcher.Append("one\n\ntwo"));
        Assert.Equal("\n\n", matcher.Matched);
    }

    [Fact]
    public void Append_StopAcrossChunks_HoldsBackThePossibleStart()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("abc ", matcher.Append("abc E"));
        Assert.Equal("", matcher.Append("N"));
        Assert.Equal("", matcher.Append("D and more"));
        Assert.Equal("END", matcher.Matched);
    }

    [Fact]
    public void Append_FalseStart_IsReleasedOnceItCannotMatch()
    {
        var matcher = new StopSequenceMatcher(["END"]);

        Assert.Equal("", matcher.Append("EN"));
        Assert.Equal("ENx", matcher.Append("x"));
        Assert.Null(matcher.Matched);
    }

    [Fact]
    public void Append_TwoStops_TheEarliestInTheTextWins()
    {
        var matcher = new StopSequenceMatcher(["world", "lo"]);

        Assert.Equal("hel", matcher.Append("hello world"));
        Assert.Equal("lo", matcher.Matched);
    }

    [Fact]
    public void Flush_ReleasesHeldBackText()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("a", matcher.Append("aST"));
        Assert.Equal("ST", matcher.Flush());
    }
}
