using System.Collections.Concurrent;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Gateway;
using Engram.DiscordFrontend.Discord.Rest;
using Engram.DiscordFrontend.Tests.Fakes;
using Engram.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engram.DiscordFrontend.Tests.Discord;

/// <summary>Our Discord client (gateway + REST) against the fake Discord, with quick reconnect pacing; collects every event.</summary>
public sealed class DiscordClientHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _consumer;

    private DiscordClientHarness(FakeDiscordServer discord, DiscordClientOptions options)
    {
        Discord = discord;
        Options = options;
        Rest = new DiscordRestClient(options, TimeProvider.System, NullLogger<DiscordRestClient>.Instance);
        Gateway = new GatewayClient(options, Rest, TimeProvider.System, NullLogger<GatewayClient>.Instance);
    }

    public FakeDiscordServer Discord { get; }
    public DiscordClientOptions Options { get; }
    public DiscordRestClient Rest { get; }
    public GatewayClient Gateway { get; }
    public Task Run { get; private set; } = Task.CompletedTask;
    public ConcurrentQueue<GatewayEvent> Events { get; } = new();

    public static async Task<DiscordClientHarness> CreateAsync(Func<DiscordClientOptions, DiscordClientOptions>? configure = null)
    {
        var discord = await FakeDiscordServer.StartAsync();
        discord.Gateway.HeartbeatIntervalMs = 300;
        var options = new DiscordClientOptions
        {
            Token = FakeDiscordServer.Token,
            ApiBaseUrl = new Uri(discord.ApiBaseUrl),
            ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(300),
            IdentifyInterval = TimeSpan.FromMilliseconds(500),
            CloudflareBanPause = TimeSpan.FromSeconds(1),
            ServerErrorDelay = TimeSpan.FromMilliseconds(50),
        };
        return new DiscordClientHarness(discord, configure?.Invoke(options) ?? options);
    }

    public void Start()
    {
        Run = Gateway.RunAsync(_stop.Token);
        _consumer = Task.Run(async () =>
        {
            await foreach (var e in Gateway.Events.ReadAllAsync())
            {
                Events.Enqueue(e);
            }
        });
    }

    public async Task<SessionReady> WaitForSessionAsync(int count = 1) =>
        (await Discord.WaitForAsync(() => Events.OfType<SessionReady>().ToList(), list => list.Count >= count, $"{count} session(s) ready"))[count - 1];

    /// <summary>Stops our client (a deliberate shutdown), leaving the fake running.</summary>
    public async Task StopClientAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WithTimeout();
        }
        catch (DiscordFatalException)
        {
        }
        if (_consumer is not null)
        {
            await _consumer.WithTimeout();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopClientAsync();
        Rest.Dispose();
        await Discord.DisposeAsync();
    }
}
