using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.Hosting;

/// <summary>The bot's unit file is a contract with systemd: what the bot's behaviour relies on is there.</summary>
public sealed class DiscordUnitTests
{
    private static readonly string[] Unit = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, "deploy", "systemd", "engram-discord.service"));

    [Theory]
    [InlineData("Type=notify")]
    [InlineData("Restart=on-failure")]
    [InlineData("RestartPreventExitStatus=64 77 78")] // a refused token must not restart into the identify budget
    [InlineData("DynamicUser=yes")]
    [InlineData("LoadCredential=discord-token:/etc/engram/discord-token")] // read by BotToken as $CREDENTIALS_DIRECTORY/discord-token
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("PrivateDevices=yes")]
    [InlineData("ExecStart=/opt/engram/discord/engram-discord --config /etc/engram/discord.json")]
    public void DiscordUnit_HasDirective(string directive) => Assert.Contains(directive, Unit);
}
