using Engram.Inference.Engine;
using Engram.Inference.Lifecycle;
using Engram.InferenceDaemon.Api;
using Engram.InferenceDaemon.Diagnostics;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Registers the daemon's areas: the inference engine, systemd, gRPC, health and metrics.</summary>
public static class DaemonServiceCollectionExtensions
{
    public static IServiceCollection AddEngramDaemon(this IServiceCollection services, DaemonOptions options, string? authToken)
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
                o.Interceptors.Add<TokenAuthInterceptor>(authToken);
            }
        });
        services.AddGrpcReflection();
        services.AddHostedService<ListeningAnnouncer>();
        return services;
    }

    public static WebApplication MapEngramDaemon(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DaemonOptions>>().Value.Metrics is { Length: > 0 } metrics)
        {
            ListenAddress.TryParse(metrics, out var address, out _);
            // Only on the metrics port: the gRPC endpoint stays gRPC.
            app.MapMetrics("/metrics", app.Services.GetRequiredService<EngramMetrics>().Registry).RequireHost($"*:{address.Port}");
        }
        app.MapGrpcService<InferenceService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        return app;
    }
}
