using Engram.Inference.Engine.Pressure;

namespace Engram.Inference.Tests.Engine;

public sealed class PressurePolicyTests
{
    private static readonly PressureOptions Options = new() { MinAvailableMemoryMb = 1000, MaxTemperatureC = 80, RecoverMargin = 0.1, RecoverSamples = 2 };

    private static PressureSample Memory(long mb) => new(mb, 40, null);

    [Fact]
    public void Next_BelowTheMemoryThreshold_EntersPressureAtOnce()
    {
        var status = PressurePolicy.Next(PressureStatus.Calm, Memory(900), Options);

        Assert.True(status.UnderPressure);
        Assert.Contains("memory: 900 MiB available, below 1000 MiB", status.Reason);
    }

    [Fact]
    public void Next_JustAboveTheThreshold_DoesNotLeaveYet()
    {
        var under = PressurePolicy.Next(PressureStatus.Calm, Memory(900), Options);

        // 1050 is above 1000 but inside the 10 % margin: no flapping.
        var status = PressurePolicy.Next(PressurePolicy.Next(under, Memory(1050), Options), Memory(1050), Options);

        Assert.True(status.UnderPressure);
    }

    [Fact]
    public void Next_ClearForEnoughSamples_Leaves()
    {
        var status = PressurePolicy.Next(PressureStatus.Calm, Memory(900), Options);

        status = PressurePolicy.Next(status, Memory(2000), Options);
        Assert.True(status.UnderPressure);
        status = PressurePolicy.Next(status, Memory(2000), Options);

        Assert.False(status.UnderPressure);
    }

    [Fact]
    public void Next_ARelapseWhileRecovering_StartsTheCountAgain()
    {
        var status = PressurePolicy.Next(PressureStatus.Calm, Memory(900), Options);
        status = PressurePolicy.Next(status, Memory(2000), Options);
        status = PressurePolicy.Next(status, Memory(1050), Options);
        status = PressurePolicy.Next(status, Memory(2000), Options);

        Assert.True(status.UnderPressure);
        Assert.Equal(1, status.ClearSamples);
    }

    [Fact]
    public void Next_HotSoc_IsPressure()
    {
        var status = PressurePolicy.Next(PressureStatus.Calm, new PressureSample(5000, 82.5, null), Options);

        Assert.True(status.UnderPressure);
        Assert.StartsWith("temperature: 82.5 C", status.Reason);
    }

    [Fact]
    public void Next_UnreadableFigures_AreNotPressure()
    {
        Assert.False(PressurePolicy.Next(PressureStatus.Calm, new PressureSample(null, null, null), Options).UnderPressure);
    }
}
