using Engram.DiscordFrontend.Replies;

namespace Engram.DiscordFrontend.Tests.Replies;

public sealed class ThinkFoldingTests
{
    [Fact]
    public void PlainText_IsUnchanged() => Assert.Equal("4", ThinkFolding.Fold("4", complete: true));

    [Fact]
    public void FinishedReasoning_FoldsIntoANote_TheAnswerStays()
    {
        var shown = ThinkFolding.Fold("<think>two plus two is four</think>\nThe answer is 4.", complete: true);

        Assert.Equal("-# 💭 thought it over (5 words, folded)\nThe answer is 4.", shown);
    }

    [Fact]
    public void ReasoningInProgress_ShowsThinking_NotTheThoughts()
    {
        Assert.Equal("-# 💭 thinking…", ThinkFolding.Fold("<think>let me see, two plus", complete: false));
    }

    [Fact]
    public void AnOpeningTagStillArriving_IsHeldBack()
    {
        Assert.Equal("Sure.", ThinkFolding.Fold("Sure.<thi", complete: false));
        Assert.Equal("Sure.<thi", ThinkFolding.Fold("Sure.<thi", complete: true));
    }

    [Fact]
    public void AnUnclosedSectionAtTheEnd_IsDroppedFromTheFinalText()
    {
        Assert.Equal("-# 💭 thought it over (2 words, folded)\nAnswer", ThinkFolding.Fold("Answer<think>never closed", complete: true));
    }
}
