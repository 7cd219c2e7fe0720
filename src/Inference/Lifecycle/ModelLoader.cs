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
    PlatformState platform,
    IEnumerable<IInferenceBackend> backends,
    TimeProvider time,
    ILogger<ModelLoader> logger)
{
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

            slot.MarkLoading();
            var backend = backends.For(profile);
            ILoadedModel model;
            using (inflight.Enter("load", "", profile.Name, profile.Backend))
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
