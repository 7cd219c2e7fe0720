using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Tests.Hosting;

public sealed class DaemonCommandLineTests
{
    [Fact]
    public void Parse_ShortSwitches_BecomeConfigurationArguments()
    {
        var parsed = DaemonCommandLine.Parse(["--listen", "127.0.0.1:6000", "--model=/m.gguf"]);

        Assert.Null(parsed.Error);
        Assert.Equal("serve", parsed.Verb);
        Assert.Equal(["--listen", "127.0.0.1:6000", "--model=/m.gguf"], parsed.ConfigurationArgs);
    }

    [Fact]
    public void Parse_UnknownOption_IsAnError()
    {
        Assert.Equal("unknown option '--modle'", DaemonCommandLine.Parse(["--modle", "x"]).Error);
    }

    [Fact]
    public void Parse_SwitchWithoutValue_IsAnError()
    {
        Assert.Equal("option '--listen' needs a value", DaemonCommandLine.Parse(["--listen"]).Error);
    }

    [Fact]
    public void Parse_Demo_TakesThePromptAsOperands()
    {
        var parsed = DaemonCommandLine.Parse(["demo", "What", "is", "2+2?", "--model", "/m.gguf"]);

        Assert.Equal("demo", parsed.Verb);
        Assert.Equal(["What", "is", "2+2?"], parsed.Operands);
    }

    [Theory]
    [InlineData("127.0.0.1:50051", true)]
    [InlineData("localhost:0", true)]
    [InlineData("[::1]:50051", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData("example.org:50051", false)]
    public void ListenAddress_Parses(string text, bool valid)
    {
        Assert.Equal(valid, ListenAddress.TryParse(text, out _, out _));
    }
}
