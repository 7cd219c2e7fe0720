using Engram.Inference.Engine;
using Microsoft.Extensions.Hosting.Systemd;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// Tells systemd where the daemon is: STATUS while the default model validates and loads, READY=1 only
/// once it is ready (or, failed, with a STATUS saying so: the daemon still serves Health and its other
/// models, and restarting would not mend a bad file), STOPPING=1 on shutdown.
/// </summary>
internal sealed class SystemdLifecycle(ModelRegistry registry, ISystemdNotifier notifier) : IHostedService
{
    private int _ready;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Default.StateChanged += OnDefaultModelChanged;
        OnDefaultModelChanged(registry.Default);
        return Task.CompletedTask;
    }

    private void OnDefaultModelChanged(ModelSlot slot)
    {
        var name = slot.Profile.Name;
        switch (slot.State)
        {
            case ModelState.Validating:
                notifier.Notify(new ServiceState($"STATUS=validating model {name}"));
                break;
            case ModelState.Loading:
                notifier.Notify(new ServiceState($"STATUS=loading model {name}"));
                break;
            case ModelState.Ready:
                Ready($"STATUS=serving model {name}");
                break;
            case ModelState.Failed:
                Ready($"STATUS=degraded: model {name} failed ({slot.Failure})");
                break;
        }
    }

    private void Ready(string status)
    {
        var first = Interlocked.Exchange(ref _ready, 1) == 0;
        notifier.Notify(new ServiceState(first ? "READY=1\n" + status : status));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Default.StateChanged -= OnDefaultModelChanged;
        notifier.Notify(new ServiceState("STOPPING=1\nSTATUS=stopping"));
        return Task.CompletedTask;
    }
}
