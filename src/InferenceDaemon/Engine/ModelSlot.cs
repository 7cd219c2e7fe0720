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
    public FailureClass FailureClass { get; private set; }
    public string Detail { get; private set; } = "";
    public string Remedy { get; private set; } = "";
    public TimeSpan? LoadTime { get; private set; }

    /// <summary>Raised after every state change, outside the slot's lock.</summary>
    public event Action<ModelSlot>? StateChanged;

    public void MarkLoading() => Change(() => State = ModelState.Loading);

    public void MarkReady(ILoadedModel model, TimeSpan loadTime) => Change(() =>
    {
        Model = model;
        LoadTime = loadTime;
        State = ModelState.Ready;
        FailureClass = FailureClass.None;
        Detail = Remedy = "";
    });

    public void MarkFailed(FailureClass failureClass, string detail, string remedy) => Change(() =>
    {
        Model = null;
        State = ModelState.Failed;
        FailureClass = failureClass;
        Detail = detail;
        Remedy = remedy;
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
        }
        StateChanged?.Invoke(this);
    }
}
