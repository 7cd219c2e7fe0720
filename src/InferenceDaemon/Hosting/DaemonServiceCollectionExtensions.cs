using Engram.InferenceDaemon.Api;
using Engram.InferenceDaemon.Backends;
using Engram.InferenceDaemon.Backends.Llama;
using Engram.InferenceDaemon.Backends.Rkllm;
using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Engine.Pressure;
using Engram.InferenceDaemon.Health;
using Engram.InferenceDaemon.Validation;
using Engram.InferenceDaemon.Validation.Platform;
using Engram.InferenceDaemon.Diagnostics;
using Grpc.HealthCheck;
using Prometheus;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Registers the daemon's areas: options, engine, backends, health, gRPC.</summary>
public static class DaemonServiceCollectionExtensions
{
    public static IServiceCollection AddEngramDaemon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DaemonOptions>().Bind(configuration.GetSection(DaemonOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DaemonOptions>, DaemonOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => ProfileCatalogFactory.Create(sp.GetRequiredService<IOptions<DaemonOptions>>().Value));
        services.TryAddSingleton(sp => new ModelRegistry(sp.GetRequiredService<ProfileCatalog>()));
        services.TryAddSingleton(sp => new GenerationEngine(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<PressureState>(),
            sp.GetRequiredService<CrashMarker>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GenerationEngine>>())
        {
            LogPrompts = sp.GetRequiredService<IOptions<DaemonOptions>>().Value.LogPrompts,
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DaemonOptions>>().Value;
            return new ModelValidator(PlatformProbe.Create(options.PlatformRoot, sp.GetRequiredService<ProfileCatalog>().RkllmLibraries));
        });
        services.TryAddSingleton<PlatformState>();
        services.TryAddSingleton<PressureState>();
        services.TryAddSingleton(sp => new CrashMarker(sp.GetRequiredService<IOptions<DaemonOptions>>().Value.ResolveStateDirectory(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<CrashHistory>();
        services.TryAddSingleton<SystemdNotifier>();
        services.TryAddSingleton<EngramMetrics>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DaemonOptions>>().Value;
            return new EngineLiveness(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<TimeProvider>(),
                TimeSpan.FromSeconds(options.StallTimeoutSeconds), TimeSpan.FromSeconds(options.LoadTimeoutSeconds));
        });
        services.AddHostedService<SystemdLifecycle>();
        services.AddHostedService<SystemdWatchdog>();
        services.AddHostedService<PressureMonitor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInferenceBackend, LlamaBackend>(sp => new LlamaBackend(
            sp.GetRequiredService<ILogger<LlamaBackend>>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IOptions<DaemonOptions>>().Value.LlamaLibraryDirectory)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInferenceBackend, RkllmBackend>());
        services.AddHostedService<ModelLoader>();

        services.TryAddSingleton<HealthReporter>();
        services.TryAddSingleton<HealthServiceImpl>();
        services.AddHostedService<GrpcHealthPublisher>();

        var token = configuration.GetSection(DaemonOptions.Section).Get<DaemonOptions>()?.ResolveAuthToken();
        services.AddGrpc(o =>
        {
            o.EnableDetailedErrors = false;
            if (token is not null)
            {
                o.Interceptors.Add<TokenAuthInterceptor>(token);
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
