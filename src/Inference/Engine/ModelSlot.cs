namespace Engram.Inference.Engine;

/// <summary>One profile's model: its state, the loaded model once ready, why it failed otherwise, and its queue.</summary>
public sealed class ModelSlot
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private int _releasing;
    private long _lastProgress;

    public ModelSlot(ModelProfile profile, TimeProvider time)
    {
        Profile = profile;
        _time = time;
        Queue = new GenerationQueue(profile.QueueSize, time);
        _lastProgress = time.GetTimestamp();
    }

    public ModelProfile Profile { get; }
    public GenerationQueue Queue { get; }

    public ModelState State { get; private set; } = ModelState.NotLoaded;
    public ILoadedModel? Model { get; private set; }
    public FailureClass FailureClass => Failure?.Class ?? FailureClass.None;
    public ModelFailure? Failure { get; private set; }
    public TimeSpan? LoadTime { get; private set; }
    public ArtifactFacts? Artifact { get; private set; }
    public long EstimatedBytes { get; private set; }

    /// <summary>When the backend was last heard from (a token, a state change), on this slot's <see cref="TimeProvider"/>: the watchdog's measure of progress.</summary>
    public long LastProgress => Volatile.Read(ref _lastProgress);

    /// <summary>Records that the backend made progress now.</summary>
    public void Touch() => Volatile.Write(ref _lastProgress, _time.GetTimestamp());

    /// <summary>
    /// True while the running generation waits for its own reader to take an event: the backend is paused by a
    /// slow client, which is bounded by the write-stall limit and is not an engine stall.
    /// </summary>
    public bool PausedByClient
    {
        get => Volatile.Read(ref _pausedByClient);
        set => Volatile.Write(ref _pausedByClient, value);
    }

    private bool _pausedByClient;

    /// <summary>True while a finished or cancelled generation waits for the backend to stop (e.g. an NPU abort).</summary>
    public bool Releasing => Volatile.Read(ref _releasing) > 0;

    public void BeginRelease() => Interlocked.Increment(ref _releasing);

    public void EndRelease() => Interlocked.Decrement(ref _releasing);

    /// <summary>Raised after every state change, outside the slot's lock.</summary>
    public event Action<ModelSlot>? StateChanged;

    public void MarkValidating() => Change(() => State = ModelState.Validating);

    /// <summary>What validation learnt about the file, and the memory the model was planned with.</summary>
    public void MarkValidated(ArtifactFacts? artifact, long estimatedBytes) => Change(() =>
    {
        Artifact = artifact;
        EstimatedBytes = estimatedBytes;
    });

    public void MarkLoading() => Change(() => State = ModelState.Loading);

    public void MarkReady(ILoadedModel model, TimeSpan loadTime) => Change(() =>
    {
        Model = model;
        LoadTime = loadTime;
        State = ModelState.Ready;
        Failure = null;
    });

    public void MarkFailed(ModelFailure failure) => Change(() =>
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
            Touch();
        }
        StateChanged?.Invoke(this);
    }
}
