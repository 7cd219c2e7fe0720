using Engram.InferenceDaemon.Commands;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Tests.Hosting;

public sealed class DaemonCommandLineTests
{
    private static (System.CommandLine.ParseResult Parse, string[] ConfigurationArgs) Parse(params string[] args)
    {
        var (remaining, overrides, error) = ConfigurationOverrides.Extract(args);
        Assert.Null(error);
        var parse = DaemonCommandLine.Create(overrides).Parse(remaining);
        return (parse, CommonOptions.ConfigurationArgs(parse, overrides));
    }

    [Fact]
    public void ShortSwitches_BecomeTheirConfigurationKeys()
    {
        var (parse, configuration) = Parse("--listen", "127.0.0.1:6000", "--model=/m.gguf", "--insecure");

        Assert.Empty(parse.Errors);
        Assert.Equal(["--Engram:listen=127.0.0.1:6000", "--Engram:model=/m.gguf", "--Engram:insecure=true"], configuration);
    }

    [Fact]
    public void ConfigurationKeys_PassThroughAfterTheSwitches_WithOrWithoutEquals()
    {
        var (parse, configuration) = Parse("serve", "--Engram:profiles:x:threads", "3", "--metrics", "127.0.0.1:9100", "--Logging:LogLevel:Default=Debug");

        Assert.Empty(parse.Errors);
        Assert.Equal(["--Engram:metrics=127.0.0.1:9100", "--Engram:profiles:x:threads", "3", "--Logging:LogLevel:Default=Debug"], configuration);
    }

    [Fact]
    public void UnknownOption_IsAParseError()
    {
        var (parse, _) = Parse("--modle", "x");

        Assert.Contains(parse.Errors, e => e.Message.Contains("--modle"));
    }

    [Fact]
    public void SwitchWithoutValue_IsAParseError()
    {
        var parse = DaemonCommandLine.Create([]).Parse(["--listen"]);

        Assert.Contains(parse.Errors, e => e.Message.Contains("--listen"));
    }

    [Fact]
    public void ConfigurationKeyWithoutValue_IsAnError()
    {
        Assert.Equal("option '--Engram:listen' needs a value", ConfigurationOverrides.Extract(["--Engram:listen"]).Error);
    }

    [Fact]
    public void Demo_TakesThePromptWordsAndTheSwitchesAfterThem()
    {
        var (parse, configuration) = Parse("demo", "What", "is", "2+2?", "--model", "/m.gguf");

        Assert.Empty(parse.Errors);
        Assert.Equal("demo", parse.CommandResult.Command.Name);
        Assert.Equal(["What", "is", "2+2?"], parse.GetValue<string[]>("PROMPT")!);
        Assert.Equal(["--Engram:model=/m.gguf"], configuration);
    }

    [Fact]
    public void Check_TakesItsFlags()
    {
        var (parse, _) = Parse("check", "--json", "--no-load", "--root", "/tmp/fake");

        Assert.Empty(parse.Errors);
        Assert.True(parse.GetValue<bool>("--json"));
        Assert.True(parse.GetValue<bool>("--no-load"));
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
