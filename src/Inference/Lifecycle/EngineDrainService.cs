using Engram.Inference.Engine;
using Microsoft.Extensions.Hosting;

namespace Engram.Inference.Lifecycle;

/// <summary>
/// On shutdown, before anything else stops: no new work, queued requests told at once, running generations
/// given <see cref="InferenceEngineOptions.ShutdownGrace"/> and then ended with a final message.
/// </summary>
internal sealed class EngineDrainService(GenerationEngine engine, InferenceEngineOptions options, ILogger<EngineDrainService> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var active = engine.ActiveGenerations;
        LifecycleLog.Draining(logger, active, options.ShutdownGrace.TotalSeconds);
        await engine.DrainAsync(options.ShutdownGrace, cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
