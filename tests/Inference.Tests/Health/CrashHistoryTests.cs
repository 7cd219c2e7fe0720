using Engram.Inference.Engine;
using Engram.Inference.Health;

namespace Engram.Inference.Tests.Health;

/// <summary>
/// The start that finds a process died reads what the supervisor and the daemon wrote about the death; files cut
/// short (a power loss while they were written) cost the detail, never the start.
/// </summary>
public sealed class CrashHistoryTests : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("engram-history-");

    public void Dispose() => _state.Delete(recursive: true);

    private CrashHistory Start() =>
        new(new CrashMarker(_state.FullName, TimeProvider.System), new LoadQuarantine(_state.FullName), TimeProvider.System);

    private void DieDuringGeneration() =>
        new CrashMarker(_state.FullName, TimeProvider.System).Enter(new InflightOperation("generate", "req-1", TestProfiles.Create("chat")));

    [Fact]
    public void TheSupervisorsExitRecordAndTheStallCause_AreReadBackIntoTheCrash()
    {
        DieDuringGeneration();
        CrashHistory.RecordExit(_state.FullName, "signal", "killed", "ABRT");
        CrashHistory.RecordStall(_state.FullName, "decode made no progress for 30 s");

        var crash = Start().LastCrash!;

        Assert.Equal("SIGABRT (signal)", crash.Signal);
        Assert.Equal("decode made no progress for 30 s", crash.Cause);
        Assert.Equal("req-1", crash.Record.RequestId);
        Assert.Equal("SIGABRT (signal)", Start().LastCrash!.Signal); // the next start reads the crash it kept
    }

    [Fact]
    public void RecordsCutShort_AreReportedAsUnreadable_AndTheStartGoesOn()
    {
        DieDuringGeneration();
        File.WriteAllText(Path.Combine(_state.FullName, CrashHistory.LastExitFile), "{\"service_result\":\"sig");
        File.WriteAllText(Path.Combine(_state.FullName, CrashHistory.StallFile), "{\"cau");

        var history = Start();

        Assert.Equal(1, history.Restarts);
        Assert.Equal("unknown (the supervisor's exit record is unreadable)", history.LastCrash!.Signal);
        Assert.Null(history.LastCrash.Cause);
        Assert.False(File.Exists(Path.Combine(_state.FullName, CrashHistory.LastExitFile)));
    }

    [Fact]
    public void AKeptCrashCutShort_IsForgotten_AndTheStartGoesOn()
    {
        DieDuringGeneration();
        Start();
        var kept = Directory.GetFiles(_state.FullName, "last-crash.json").Single();
        File.WriteAllText(kept, File.ReadAllText(kept)[..20]);

        Assert.Null(Start().LastCrash);
    }
}
