using Engram.Inference.Engine;
using Engram.Inference.Health;
using Microsoft.Extensions.Hosting;

namespace Engram.Inference.Lifecycle;

/// <summary>
/// Loads every profile's model in the background once the host has started (the default first), so the
/// endpoint answers Health meanwhile. A model that fails is marked failed with its class; the others keep
/// loading and serving. On shutdown the models are released once their generations end.
/// </summary>
internal sealed class ModelLoadingService(
    ModelRegistry registry,
    ModelLoader loader,
    CrashHistory crashes,
    PlatformState platform,
    ILogger<ModelLoadingService> logger) : BackgroundService
{
    // The drain has already ended every generation; a backend still busy after this is hung, and freeing its model under it would crash.
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (crashes.IsNew && crashes.LastCrash is { } crash)
        {
            LifecycleLog.RecoveredFromCrash(logger, crash.Record.Operation, crash.Record.Model, crash.Record.Backend, crash.Record.RequestId,
                crash.Record.At, crash.Signal, crashes.Restarts);
        }
        foreach (var check in platform.Refresh().Checks)
        {
            LifecycleLog.PlatformCheck(logger, check.Name, check.Status.ToString().ToLowerInvariant(), check.Value, check.Remedy);
        }
        foreach (var slot in registry.Slots.OrderBy(s => s == registry.Default ? 0 : 1))
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await loader.LoadAsync(slot, validateOnly: false, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var slot in registry.Slots)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (slot.Queue.IsBusy && waited.Elapsed < ShutdownGrace && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
            }
            if (slot.Queue.IsBusy)
            {
                continue; // freeing a model under a running native call would crash; the process is ending anyway
            }
            if (slot.Unload() is { } model)
            {
                await model.DisposeAsync();
            }
        }
    }
}
