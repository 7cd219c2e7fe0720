using System.Diagnostics;
using Engram.Inference.Backends;
using Engram.Inference.Engine;
using Engram.Inference.Health;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Artifacts;

namespace Engram.Inference.Lifecycle;

/// <summary>
/// One model's way into service, the same for the daemon and <c>check</c>: validate (artifact, platform,
/// memory) with no native code, load through the profile's backend under an in-flight record, then confirm
/// what the runtime said about the file against the board. Every failure ends classified on the slot.
/// </summary>
public sealed class ModelLoader(
    ModelValidator validator,
    IInflightRecorder inflight,
    LoadQuarantine quarantine,
    PlatformState platform,
    IEnumerable<IInferenceBackend> backends,
    TimeProvider time,
    ILogger<ModelLoader> logger)
{
    /// <summary>
    /// Whether a model file that crashed the native loader is kept from loading again (the daemon: yes; <c>check</c>,
    /// which loads in a disposable child process and reports the verdict, no).
    /// </summary>
    public bool HonourQuarantine { get; init; } = true;

    /// <summary>Validates and (unless <paramref name="validateOnly"/>) loads the slot's model; the slot ends ready or failed.</summary>
    public async Task LoadAsync(ModelSlot slot, bool validateOnly, CancellationToken cancellationToken)
    {
        var profile = slot.Profile;
        slot.MarkValidating();
        LifecycleLog.ModelLoading(logger, profile.Name, profile.Backend, profile.ModelPath);
        var started = time.GetTimestamp();
        try
        {
            if (profile.IsBuiltIn)
            {
                LifecycleLog.BuiltInModelInUse(logger, profile.Name, profile.Description);
            }
            var validation = await Task.Run(() => validator.Validate(profile, profile.VerifyChecksum), cancellationToken);
            slot.MarkValidated(validation.Facts, validation.EstimatedBytes);
            if (validation.Failure is { } failure)
            {
                Fail(slot, failure);
                return;
            }
            var facts = validation.Facts!;
            LifecycleLog.ModelValidated(logger, profile.Name, facts.Format, facts.Architecture ?? facts.TargetPlatform ?? "", facts.SizeBytes / 1048576.0,
                facts.ChecksumVerifiedIn is { } checksum ? $"verified in {checksum.TotalMilliseconds:0} ms" : "no sidecar", validation.EstimatedBytes / 1048576);
            if (validateOnly)
            {
                return;
            }

            if (HonourQuarantine && Quarantined(profile) is { } quarantined)
            {
                Fail(slot, quarantined);
                return;
            }

            slot.MarkLoading();
            var backend = backends.For(profile);
            ILoadedModel model;
            using (inflight.Enter(new InflightOperation("load", "", profile)))
            {
                model = await backend.LoadAsync(profile, cancellationToken);
            }
            if (ConfirmRuntime(model, profile) is { } refused)
            {
                await model.DisposeAsync();
                Fail(slot, refused);
                return;
            }
            var loadTime = time.GetElapsedTime(started);
            slot.MarkReady(model, loadTime);
            LifecycleLog.ModelReady(logger, profile.Name, loadTime.TotalMilliseconds, model.ContextLength,
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
            Fail(slot, new ModelFailure(FailureClass.Runtime, "native_error", ex.Message, "see the daemon log for the native runtime's messages"));
        }
    }

    private ModelFailure? Quarantined(ModelProfile profile)
    {
        var entry = quarantine.Find(profile.Name, profile.ModelPath, out var lifted);
        if (lifted is not null)
        {
            LifecycleLog.QuarantineLifted(logger, profile.Name, profile.ModelPath);
        }
        return entry is null ? null : new ModelFailure(FailureClass.Runtime, "crashed_during_load",
            $"loading {entry.File.Path} ({entry.File.SizeBytes} bytes, modified {entry.File.Modified:u}) killed the daemon " +
            $"({entry.Signal}) at {entry.CrashedAt:u}; it is not loaded again until the file changes",
            "replace or reconvert the model file (the quarantine lifts when it changes), or after fixing the runtime " +
            "run: engram-daemon clear-quarantine --profile " + profile.Name);
    }

    // What the runtime printed at init is the authoritative word on an .rkllm file's target and dtype.
    private ModelFailure? ConfirmRuntime(ILoadedModel model, ModelProfile profile) =>
        profile.Backend == BackendNames.Rkllm && model.Runtime is { } runtime
            ? RkllmArtifactCheck.ConfirmFromRuntime(runtime.TargetPlatform, runtime.Dtype, platform.SocFamily)
            : null;

    private void Fail(ModelSlot slot, ModelFailure failure)
    {
        slot.MarkFailed(failure);
        LifecycleLog.ModelFailed(logger, slot.Profile.Name, $"{failure.Class.ToString().ToLowerInvariant()}/{failure.Kind}", failure.Detail, failure.Remedy);
    }
}
