using Engram.Inference.Backends.Llama;
using Engram.Inference.Backends.Rkllm;
using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;
using Engram.Inference.Health;
using Engram.Inference.Lifecycle;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Platform;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one composition of an inference engine, used by engram-daemon and by engram-bench's in-process runs.</summary>
public static class InferenceEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine, its backends (llama.cpp, RKLLM), validation, health and the model lifecycle:
    /// the models load in the background once the host starts, and the pressure monitor runs when configured.
    /// </summary>
    public static IServiceCollection AddInferenceEngine(this IServiceCollection services, InferenceEngineOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Catalog);
        services.TryAddSingleton(options.Pressure);
        services.TryAddSingleton(sp => new ModelRegistry(options.Catalog, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => new ModelValidator(PlatformProbe.Create(options.PlatformRoot, options.Catalog.RkllmLibraries)));
        services.TryAddSingleton<PlatformState>();
        services.TryAddSingleton<IPlatformFacts>(sp => sp.GetRequiredService<PlatformState>());
        services.TryAddSingleton<PressureState>();
        services.TryAddSingleton(sp => new CrashMarker(options.StateDirectory, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IInflightRecorder>(sp => sp.GetRequiredService<CrashMarker>());
        services.TryAddSingleton(_ => new LoadQuarantine(options.StateDirectory));
        services.TryAddSingleton<CrashHistory>();
        services.TryAddSingleton(sp => new EngineLiveness(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<TimeProvider>(),
            options.StallTimeout, options.LoadTimeout));
        services.TryAddSingleton(sp => new GenerationEngine(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<PressureState>(),
            sp.GetRequiredService<IInflightRecorder>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GenerationEngine>>(),
            options.Limits)
        {
            LogPrompts = options.LogPrompts,
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInferenceBackend, LlamaBackend>(sp => new LlamaBackend(
            sp.GetRequiredService<ILogger<LlamaBackend>>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IPlatformFacts>(),
            options.LlamaLibraryDirectory)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInferenceBackend, RkllmBackend>());
        services.TryAddSingleton<ModelLoader>();
        services.TryAddSingleton<HealthReporter>();
        services.AddHostedService<ModelLoadingService>();
        services.AddHostedService<PressureMonitor>();
        services.AddHostedService<StallGuard>();
        services.AddHostedService<EngineDrainService>();
        services.AddHostedService<DaemonThreadPlacement>();
        return services;
    }
}
