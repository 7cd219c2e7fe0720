using Engram.DiscordFrontend.Replies;

namespace Engram.DiscordFrontend.Tests.Replies;

public sealed class MessageSplitterTests
{
    [Fact]
    public void ShortText_IsOneMessage()
    {
        Assert.Equal(["hello"], MessageSplitter.Split("hello", 2000));
    }

    [Fact]
    public void LongProse_SplitsAtParagraphsThenSentences_EachPartWithinTheLimit_NothingLost()
    {
        var paragraph = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 20)).Trim();
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 5));

        var parts = MessageSplitter.Split(text, 2000);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.All(parts.SkipLast(1), p => Assert.EndsWith("dog.", p, StringComparison.Ordinal)); // whole sentences
        Assert.Equal(Words(text), Words(string.Join(" ", parts)));
    }

    [Fact]
    public void TextWithoutBreaks_IsCutHard_NeverInsideASurrogatePair()
    {
        var text = "a" + string.Concat(Enumerable.Repeat("😀", 1500)); // 3001 UTF-16 units, no spaces; pairs start at odd offsets

        var parts = MessageSplitter.Split(text, 2000);

        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
        Assert.All(parts, p => Assert.False(char.IsLowSurrogate(p[0])));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void CodeBlockAcrossACut_IsClosedAndReopenedWithItsLanguage()
    {
        var code = string.Join("\n", Enumerable.Range(0, 200).Select(i => $"print({i}) # line {i}"));
        var text = "Here is the code:\n```python\n" + code + "\n```\nDone.";

        var parts = MessageSplitter.Split(text, 2000);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p.Length <= 2000));
        Assert.All(parts, p => Assert.Equal(0, CountFences(p) % 2)); // every part renders its code block whole
        Assert.StartsWith("```python\n", parts[1], StringComparison.Ordinal);
        static string[] Content(string t) => Words(t).Where(w => !w.StartsWith("```", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Content(text), Content(string.Join("\n", parts)));
    }

    [Fact]
    public void Cuts_DoNotMoveAsTheTextGrows()
    {
        var words = Enumerable.Range(0, 900).Select(i => $"word{i}").ToArray();
        var shorter = MessageSplitter.Split(string.Join(" ", words[..700]), 1840);
        var longer = MessageSplitter.Split(string.Join(" ", words), 1840);

        Assert.Equal(shorter[0], longer[0]);
    }

    private static string[] Words(string text) => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private static int CountFences(string text) => text.Split('\n').Count(line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
}
