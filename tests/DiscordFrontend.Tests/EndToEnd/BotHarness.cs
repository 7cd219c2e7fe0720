using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Gateway;
using Engram.DiscordFrontend.Hosting;
using Engram.DiscordFrontend.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Engram.DiscordFrontend.Tests.EndToEnd;

/// <summary>
/// The bot as it runs in production (the same host composition as engram-discord), wired to the fake
/// Discord and to a real daemon at <c>daemonAddress</c>. Pacing is the production default unless a test says otherwise.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    public const ulong Channel = 5;

    private BotHarness(FakeDiscordServer discord, IHost host)
    {
        Discord = discord;
        Host = host;
    }

    public FakeDiscordServer Discord { get; }
    public IHost Host { get; }
    public GatewayClient Gateway => (GatewayClient)Host.Services.GetRequiredService<IDiscordGateway>();
    public int ExitCode => Host.Services.GetRequiredService<BotExit>().Code;

    public static async Task<BotHarness> StartAsync(string daemonAddress, params string[] settings)
    {
        var discord = await FakeDiscordServer.StartAsync();
        discord.Gateway.HeartbeatIntervalMs = 500;
        string[] args =
        [
            $"--Discord:api_base_url={discord.ApiBaseUrl}",
            $"--Discord:daemon:addresses:0={daemonAddress}",
            "--Discord:daemon:temperature=0",
            "--Discord:gateway:reconnect_min_ms=50",
            "--Discord:gateway:reconnect_max_ms=300",
            "--Discord:gateway:identify_interval_ms=300",
            "--Discord:command_guild_id=7",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var (host, problems) = BotHost.Build(args, environment: name => name == BotToken.EnvironmentVariable ? FakeDiscordServer.Token : null);
        Assert.True(host is not null, string.Join("; ", problems));
        await host.StartAsync();
        var bot = new BotHarness(discord, host);
        await discord.WaitForAsync(() => discord.RegisteredCommands.Count, n => n == 1, "the bot's session and slash commands");
        return bot;
    }

    /// <summary>A user mentions the bot in the test channel.</summary>
    public Task<FakeMessage> MentionAsync(string text, ulong author = 42) =>
        Discord.PostUserMessageAsync(Channel, $"<@{FakeDiscordServer.BotUserId}> {text}", author);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
        await Discord.DisposeAsync();
    }
}
