using Engram.DiscordFrontend.Hosting;

namespace Engram.DiscordFrontend.Tests.Hosting;

public sealed class BotTokenTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("engram-token-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static Func<string, string?> Env(params (string Name, string Value)[] values) => name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void TokenFile_WinsAndIsTrimmed_ABotPrefixIsDropped()
    {
        var file = Path.Combine(_dir.FullName, "token");
        File.WriteAllText(file, "Bot abc.def\n");

        var (token, source) = BotToken.Resolve(new BotOptions { TokenFile = file, Token = "other" }, Env(("DISCORD_BOT_TOKEN", "env")));

        Assert.Equal("abc.def", token);
        Assert.Contains(file, source, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemdCredential_ThenEnvironment_ThenConfiguration()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "discord-token"), "cred");

        Assert.Equal("cred", BotToken.Resolve(new BotOptions(), Env(("CREDENTIALS_DIRECTORY", _dir.FullName), ("DISCORD_BOT_TOKEN", "env"))).Token);
        Assert.Equal("env", BotToken.Resolve(new BotOptions { Token = "conf" }, Env(("DISCORD_BOT_TOKEN", "env"))).Token);
        Assert.Equal("conf", BotToken.Resolve(new BotOptions { Token = "conf" }, Env()).Token);
    }

    [Fact]
    public void NoToken_SaysHowToGiveOne_AndNeverEchoesATokenBack()
    {
        var (missing, why) = BotToken.Resolve(new BotOptions(), Env());
        var (bad, badWhy) = BotToken.Resolve(new BotOptions(), Env(("DISCORD_BOT_TOKEN", "secret with spaces")));

        Assert.Null(missing);
        Assert.Contains("DISCORD_BOT_TOKEN", why, StringComparison.Ordinal);
        Assert.Null(bad);
        Assert.DoesNotContain("secret", badWhy, StringComparison.Ordinal);
    }
}
