using Engram.DaemonClient;
using Engram.DiscordFrontend.Commands;
using Engram.DiscordFrontend.Conversation;
using Engram.DiscordFrontend.Discord;
using Engram.DiscordFrontend.Discord.Gateway;
using Engram.DiscordFrontend.Discord.Rest;
using Engram.DiscordFrontend.Handlers;
using Engram.DiscordFrontend.Replies;
using Engram.DiscordFrontend.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Hosting;

/// <summary>Composes the bot: configuration, the Discord client, the daemon client, routing, replies, the bot service.</summary>
public static class BotHost
{
    /// <summary>
    /// Builds the host, or returns the configuration problems (every one) when it cannot start.
    /// <paramref name="configurationArgs"/> are command-line configuration (<c>--Discord:key=value</c>).
    /// </summary>
    public static (IHost? Host, IReadOnlyList<string> Problems) Build(string[] configurationArgs, string? configFile = null,
        Func<string, string?>? environment = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = configurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configFile is not null && !File.Exists(configFile))
        {
            return (null, [$"the configuration file {configFile} does not exist"]);
        }
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
            builder.Configuration.AddCommandLine(configurationArgs); // the command line still wins
        }
        var options = new BotOptions();
        builder.Configuration.GetSection(BotOptions.Section).Bind(options);
        var problems = new BotOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
        var (token, tokenSource) = BotToken.Resolve(options, environment ?? Environment.GetEnvironmentVariable);
        if (token is null)
        {
            problems.Add(tokenSource);
        }
        var daemon = DaemonClientOptionsFor(options.Daemon, problems);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        builder.Services.AddSystemd();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(new DiscordClientOptions
        {
            Token = token!,
            ApiBaseUrl = new Uri(options.ApiBaseUrl),
            ReconnectDelayMin = TimeSpan.FromMilliseconds(options.Gateway.ReconnectMinMs),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(options.Gateway.ReconnectMaxMs),
            IdentifyInterval = TimeSpan.FromMilliseconds(options.Gateway.IdentifyIntervalMs),
            CloudflareBanPause = TimeSpan.FromSeconds(options.Gateway.CloudflarePauseSeconds),
        });
        services.AddSingleton<DiscordRestClient>(sp => new DiscordRestClient(sp.GetRequiredService<DiscordClientOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.AddSingleton<IDiscordRest>(sp => sp.GetRequiredService<DiscordRestClient>());
        services.AddSingleton<IDiscordGateway>(sp => new GatewayClient(sp.GetRequiredService<DiscordClientOptions>(), sp.GetRequiredService<IDiscordRest>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GatewayClient>>()));
        services.AddSingleton(new EngramDaemonClient(daemon));

        services.AddSingleton(new RoutingRules(options.Routing));
        services.AddSingleton(options.Classifier);
        services.AddSingleton<MessageClassifier>();
        services.AddSingleton(sp => new RequestRateLimiter(options.RateLimits.PerUser, options.RateLimits.PerChannel,
            TimeSpan.FromSeconds(options.RateLimits.WindowSeconds), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ReplyChainReader(sp.GetRequiredService<IDiscordRest>(), options.Replies.MaxMessages, options.Replies.MaxCharacters));
        services.AddSingleton<Answerer>();
        services.AddSingleton<ReplyGeneration>();
        services.AddSingleton<HealthQuery>();
        services.AddSingleton<MessageHandler>();
        services.AddSingleton<InteractionHandler>();
        services.AddSingleton<HandledEvents>();
        services.AddSingleton<BotExit>();
        services.AddHostedService<BotService>();

        var host = builder.Build();
        FrontendLog.Starting(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Engram.DiscordFrontend"),
            string.Join(", ", daemon.AllAddresses), tokenSource);
        return (host, []);
    }

    private static DaemonClientOptions DaemonClientOptionsFor(DaemonConnectionOptions daemon, List<string> problems)
    {
        string? bearer = null;
        if (daemon.BearerTokenFile is { Length: > 0 } file)
        {
            if (File.Exists(file))
            {
                bearer = File.ReadAllText(file).Trim();
            }
            else
            {
                problems.Add($"Discord:daemon:bearer_token_file {file} does not exist");
            }
        }
        var options = new DaemonClientOptions
        {
            Addresses = daemon.Addresses,
            LoadBalancing = daemon.LoadBalancing,
            BearerToken = bearer,
            TrustedCertificatePath = daemon.TrustedCertificate,
            // Waiting out a daemon restart or a model load is the point: many quick retries within the wait.
            TotalTimeout = TimeSpan.FromSeconds(daemon.WaitSeconds),
            AttemptTimeout = TimeSpan.FromSeconds(Math.Min(10, daemon.WaitSeconds)),
            MaxRetries = 100,
            RetryDelay = TimeSpan.FromMilliseconds(250),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            problems.Add(ex.Message);
        }
        return options;
    }
}
