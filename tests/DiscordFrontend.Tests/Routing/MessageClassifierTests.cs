using Engram.DiscordFrontend.Routing;

namespace Engram.DiscordFrontend.Tests.Routing;

public sealed class MessageClassifierTests
{
    private static readonly string[] Labels = ["chat", "command", "ignore"];

    [Theory]
    [InlineData("chat", "chat")]
    [InlineData(" Command\n", "command")]
    [InlineData("ignore.", "ignore")]
    [InlineData("chat command", "ignore")]
    [InlineData("chatty", "ignore")]
    [InlineData("", "ignore")]
    [InlineData("I think this is chat", "ignore")]
    public void Parse_AcceptsExactlyOneLabel_ElseTheSafeDefault(string answer, string expected) =>
        Assert.Equal(expected, MessageClassifier.Parse(answer, Labels, "ignore"));
}
