using Engram.DiscordFrontend.Replies;

namespace Engram.DiscordFrontend.Tests.Replies;

public sealed class ReplyRendererTests
{
    [Fact]
    public void NoTextYet_ShowsTheStatusAlone()
    {
        Assert.Equal(["-# ⏳ queued at position 2"], ReplyRenderer.Render("", ReplyStatus.Queued(2), complete: false));
    }

    [Fact]
    public void StatusGoesUnderTheLastPart_AndEveryPartFitsDiscord()
    {
        var text = string.Join(" ", Enumerable.Range(0, 800).Select(i => $"w{i}"));

        var parts = ReplyRenderer.Render(text, ReplyStatus.Generating, complete: false);

        Assert.True(parts.Count >= 2);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.EndsWith("\n-# ✍️ generating…", parts[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("generating", parts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFinalAnswer_IsStillAValidMessage()
    {
        Assert.Equal(["-# (no text)"], ReplyRenderer.Render("", null, complete: true));
    }
}
