namespace Engram.Inference.Engine.Pressure;

/// <summary>The daemon's current pressure status, written by the monitor and read by the engine and Health.</summary>
public sealed class PressureState
{
    private volatile PressureStatus _status = PressureStatus.Calm;

    public PressureStatus Status => _status;

    /// <summary>Raised when the board enters or leaves pressure.</summary>
    public event Action<PressureStatus>? Changed;

    public void Set(PressureStatus status)
    {
        var previous = _status;
        _status = status;
        if (previous.UnderPressure != status.UnderPressure)
        {
            Changed?.Invoke(status);
        }
    }
}
