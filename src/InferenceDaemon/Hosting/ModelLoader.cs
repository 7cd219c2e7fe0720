using System.Diagnostics;
using Engram.InferenceDaemon.Backends;
using Engram.InferenceDaemon.Diagnostics;
using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Health;
using Engram.InferenceDaemon.Validation;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// Validates, then loads, every profile's model in the background once the host has started (the default
/// first), so the endpoint answers Health meanwhile. A model that fails is marked failed with its class;
/// the others keep loading and serving. On shutdown the models are released once their generations end.
/// </summary>
internal sealed class ModelLoader(
    ModelRegistry registry,
    ModelValidator validator,
    CrashMarker crashMarker,
    CrashHistory crashes,
    PlatformState platform,
    IEnumerable<IInferenceBackend> backends,
    ILogger<ModelLoader> logger) : BackgroundService
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (crashes.IsNew && crashes.LastCrash is { } crash)
        {
            EngineLog.RecoveredFromCrash(logger, crash.Record.Operation, crash.Record.Model, crash.Record.Backend, crash.Record.RequestId,
                crash.Record.At, crash.Signal, crashes.Restarts);
        }
        platform.Refresh();
        foreach (var check in platform.Report.Checks)
        {
            EngineLog.PlatformCheck(logger, check.Name, check.Status.ToString().ToLowerInvariant(), check.Value, check.Remedy);
        }
        var order = registry.Slots.OrderBy(s => s == registry.Default ? 0 : 1);
        foreach (var slot in order)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await LoadAsync(slot, stoppingToken);
        }
    }

    private async Task LoadAsync(ModelSlot slot, CancellationToken cancellationToken)
    {
        var profile = slot.Profile;
        slot.MarkValidating();
        EngineLog.ModelLoading(logger, profile.Name, profile.Backend, profile.ModelPath);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (profile.IsBuiltIn)
            {
                EngineLog.BuiltInModelInUse(logger, profile.Name, profile.Description);
            }
            var validation = await Task.Run(() => validator.Validate(profile, profile.VerifyChecksum), cancellationToken);
            slot.MarkValidated(validation);
            if (validation.Failure is { } failure)
            {
                Fail(slot, failure);
                return;
            }
            var facts = validation.Facts!;
            EngineLog.ModelValidated(logger, profile.Name, facts.Format, facts.Architecture ?? facts.TargetPlatform ?? "", facts.SizeBytes / 1048576.0,
                facts.ChecksumVerifiedIn is { } checksum ? $"verified in {checksum.TotalMilliseconds:0} ms" : "no sidecar", validation.EstimatedBytes / 1048576);

            slot.MarkLoading();
            var backend = backends.For(profile);
            ILoadedModel model;
            using (crashMarker.Enter("load", "", profile.Name, profile.Backend))
            {
                model = await backend.LoadAsync(profile, cancellationToken);
            }
            var loadTime = Stopwatch.GetElapsedTime(started);
            slot.MarkReady(model, loadTime);
            EngineLog.ModelReady(logger, profile.Name, loadTime.TotalMilliseconds, model.ContextLength,
                profile.IsBuiltIn ? " [built-in tiny chat model]" : "");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ModelLoadException ex)
        {
            Fail(slot, ex.Failure);
        }
        catch (Exception ex)
        {
            Fail(slot, new ValidationFailure(FailureClass.Runtime, "native_error", ex.Message, "see the daemon log for the native runtime's messages"));
        }
    }

    private void Fail(ModelSlot slot, ValidationFailure failure)
    {
        slot.MarkFailed(failure);
        EngineLog.ModelFailed(logger, slot.Profile.Name, $"{failure.Class.ToString().ToLowerInvariant()}/{failure.Kind}", failure.Detail, failure.Remedy);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var slot in registry.Slots)
        {
            var waited = Stopwatch.StartNew();
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
