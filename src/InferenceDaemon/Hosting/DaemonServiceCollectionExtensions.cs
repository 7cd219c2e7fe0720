using Engram.Inference.Engine;
using Engram.Inference.Lifecycle;
using Engram.InferenceDaemon.Api;
using Engram.InferenceDaemon.Api.OpenAi;
using Engram.InferenceDaemon.Diagnostics;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Registers the daemon's areas: the inference engine, systemd, gRPC, health and metrics.</summary>
public static class DaemonServiceCollectionExtensions
{
    public static IServiceCollection AddEngramDaemon(this IServiceCollection services, DaemonOptions options, BearerToken? authToken)
    {
        services.TryAddSingleton(Options.Create(options));
        services.AddInferenceEngine(new InferenceEngineOptions
        {
            Catalog = ProfileCatalogFactory.Create(options),
            StateDirectory = options.ResolveStateDirectory(),
            PlatformRoot = options.PlatformRoot,
            LlamaLibraryDirectory = options.LlamaLibraryDirectory,
            StallTimeout = TimeSpan.FromSeconds(options.StallTimeoutSeconds),
            LoadTimeout = TimeSpan.FromSeconds(options.LoadTimeoutSeconds),
            Pressure = options.Pressure,
            LogPrompts = options.LogPrompts,
            DaemonCpuAffinity = options.ResolveDaemonCpuAffinity([]), // validated at start
            ShutdownGrace = TimeSpan.FromSeconds(options.ShutdownGraceSeconds),
            Limits = GenerationLimits.Default with
            {
                WriteStallTimeout = TimeSpan.FromSeconds(options.WriteStallSeconds),
                MaxMessages = options.MaxMessages,
            },
        });

        // READY only once the default model is ready, and watchdog pings from engine progress: the notifier alone,
        // not AddSystemd's lifetime (which says READY as soon as the host starts).
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService<SystemdLifecycle>();
        services.AddHostedService<SystemdWatchdog>();
        services.TryAddSingleton<EngramMetrics>();

        services.TryAddSingleton<HealthServiceImpl>();
        services.AddHostedService<GrpcHealthPublisher>();
        services.AddGrpc(o =>
        {
            o.EnableDetailedErrors = false;
            // Refused (RESOURCE_EXHAUSTED) before the message is read into memory, let alone parsed.
            o.MaxReceiveMessageSize = options.MaxRequestBytes;
            if (authToken is not null)
            {
                o.Interceptors.Add<TokenAuthInterceptor>(authToken, options.HealthRequiresToken);
            }
        });
        services.AddGrpcReflection();
        services.TryAddSingleton<OpenAiService>();
        services.AddHostedService<ListeningAnnouncer>();
        return services;
    }

    public static WebApplication MapEngramDaemon(this WebApplication app, BearerToken? authToken)
    {
        var options = app.Services.GetRequiredService<IOptions<DaemonOptions>>().Value;
        // Each listener answers only its own routes: gRPC never on the OpenAI port, /v1 never on the gRPC port.
        app.UseListenerSeparation();
        if (options.OpenAiListen is { Length: > 0 })
        {
            app.MapOpenAi(authToken);
        }
        if (options.Metrics is { Length: > 0 })
        {
            app.MapEngramMetrics(app.Services.GetRequiredService<EngramMetrics>().Registry, options.MetricsRequiresToken ? authToken : null);
        }
        app.MapGrpcService<InferenceService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        return app;
    }
}
