using Engram.InferenceDaemon.Backends;
using Engram.InferenceDaemon.Validation;

namespace Engram.InferenceDaemon.Engine;

/// <summary>One profile's model: its state, the loaded model once ready, why it failed otherwise, and its queue.</summary>
public sealed class ModelSlot(ModelProfile profile)
{
    private readonly Lock _lock = new();

    public ModelProfile Profile { get; } = profile;
    public GenerationQueue Queue { get; } = new(profile.QueueSize);

    public ModelState State { get; private set; } = ModelState.NotLoaded;
    public ILoadedModel? Model { get; private set; }
    public FailureClass FailureClass => Failure?.Class ?? FailureClass.None;
    public ValidationFailure? Failure { get; private set; }
    public string Detail => Failure?.Detail ?? "";
    public string Remedy => Failure?.Remedy ?? "";
    public TimeSpan? LoadTime { get; private set; }
    public Validation.Artifacts.ArtifactFacts? Artifact { get; private set; }
    public long EstimatedBytes { get; private set; }

    private int _releasing;

    /// <summary>When the backend was last heard from (a token, a state change); the watchdog's measure of progress.</summary>
    public long LastProgress { get; private set; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public void Touch(long timestamp) => LastProgress = timestamp;

    /// <summary>True while a finished or cancelled generation waits for the backend to stop (e.g. an NPU abort).</summary>
    public bool Releasing => Volatile.Read(ref _releasing) > 0;

    public void BeginRelease() => Interlocked.Increment(ref _releasing);

    public void EndRelease() => Interlocked.Decrement(ref _releasing);

    /// <summary>Raised after every state change, outside the slot's lock.</summary>
    public event Action<ModelSlot>? StateChanged;

    public void MarkValidating() => Change(() => State = ModelState.Validating);

    public void MarkValidated(ModelValidation validation) => Change(() =>
    {
        Artifact = validation.Facts;
        EstimatedBytes = validation.EstimatedBytes;
    });

    public void MarkLoading() => Change(() => State = ModelState.Loading);

    public void MarkReady(ILoadedModel model, TimeSpan loadTime) => Change(() =>
    {
        Model = model;
        LoadTime = loadTime;
        State = ModelState.Ready;
        Failure = null;
    });

    public void MarkFailed(ValidationFailure failure) => Change(() =>
    {
        Model = null;
        State = ModelState.Failed;
        Failure = failure;
    });

    /// <summary>Takes the model out of service (shutdown); returns it for disposal.</summary>
    public ILoadedModel? Unload()
    {
        ILoadedModel? model = null;
        Change(() =>
        {
            model = Model;
            Model = null;
            State = ModelState.NotLoaded;
        });
        return model;
    }

    private void Change(Action change)
    {
        lock (_lock)
        {
            change();
            LastProgress = System.Diagnostics.Stopwatch.GetTimestamp();
        }
        StateChanged?.Invoke(this);
    }
}
