using System.Collections.Concurrent;
using Engram.DiscordFrontend.Commands;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Model;
using Engram.DiscordFrontend.Handlers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Hosting;

/// <summary>
/// The bot: keeps the gateway running, reads its events in order and starts a handler for each, never
/// waiting on one (so the gateway's receive loop is never held up by a slow answer). A refusal Discord
/// means for good (bad token, disallowed intents) stops the bot with a clear error instead of a loop.
/// </summary>
public sealed class BotService(
    IDiscordGateway gateway,
    IDiscordRest rest,
    MessageHandler messages,
    InteractionHandler interactions,
    HandledEvents handled,
    BotOptions options,
    BotExit exit,
    IHostApplicationLifetime lifetime,
    ILogger<BotService> log) : BackgroundService
{
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private BotIdentity? _bot;
    private bool _commandsRegistered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var consumer = ConsumeAsync(stop.Token);
        try
        {
            await gateway.RunAsync(stop.Token);
        }
        catch (DiscordFatalException ex)
        {
            Fail(ex);
        }
        await stop.CancelAsync();
        await consumer;
        await Task.WhenAll(_inFlight.Keys).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var gatewayEvent in gateway.Events.ReadAllAsync(cancellationToken))
            {
                switch (gatewayEvent)
                {
                    case SessionReady ready:
                        _bot = ready.Bot;
                        if (!_commandsRegistered)
                        {
                            _commandsRegistered = true;
                            Start("command registration", () => RegisterCommandsAsync(ready.Bot, cancellationToken));
                        }
                        break;
                    case MessageCreated { Message: var message } when _bot is { } bot && handled.TryClaim(message.Id):
                        Start($"message {message.Id}", () => messages.HandleAsync(message, bot, cancellationToken));
                        break;
                    case InteractionCreated { Interaction: var interaction } when handled.TryClaim(interaction.Id):
                        Start($"interaction {interaction.Id}", () => interactions.HandleAsync(interaction, cancellationToken));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Start(string what, Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch (DiscordFatalException ex)
            {
                Fail(ex);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                FrontendLog.HandlerFailed(log, ex, what);
            }
        });
        _inFlight[task] = true;
        task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task RegisterCommandsAsync(BotIdentity bot, CancellationToken cancellationToken)
    {
        try
        {
            await rest.RegisterCommandsAsync(bot.ApplicationId, options.CommandGuildId, SlashCommands.All, cancellationToken);
            FrontendLog.CommandsRegistered(log, SlashCommands.All.Count, options.CommandGuildId is { } guild ? $"guild {guild}" : "global");
        }
        catch (DiscordRestException ex)
        {
            _commandsRegistered = false; // try again on the next fresh session
            FrontendLog.CommandsFailed(log, ex.Message);
        }
    }

    private void Fail(DiscordFatalException ex)
    {
        FrontendLog.Fatal(log, ex.Message);
        exit.Code = ExitCodes.DiscordRefused;
        lifetime.StopApplication();
    }
}

/// <summary>The process's exit code, set by whoever decides the bot must stop.</summary>
public sealed class BotExit
{
    public int Code { get; set; } = ExitCodes.Ok;
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 64;

    /// <summary>EX_NOPERM: Discord refused the token or intents. systemd must not restart into the same refusal.</summary>
    public const int DiscordRefused = 77;

    /// <summary>EX_CONFIG: the configuration is invalid or the token is missing.</summary>
    public const int Configuration = 78;
}
