using Engram.Inference.Engine;
using Engram.Inference.Health;

namespace Engram.Inference.Tests.Health;

/// <summary>The in-flight record: there while native code runs, gone when it returns, and cheap on every request's way.</summary>
public sealed class CrashMarkerTests : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("engram-marker-");

    public void Dispose() => _state.Delete(recursive: true);

    [Fact]
    public void ARecord_IsThereWhileTheCallRuns_AndGoneWhenItReturns()
    {
        var marker = new CrashMarker(_state.FullName, TimeProvider.System);
        var profile = TestProfiles.Create("chat");

        using (marker.Enter(new InflightOperation("generate", "req-1", profile)))
        {
            var record = Assert.Single(new CrashMarker(_state.FullName, TimeProvider.System).Leftovers());
            Assert.Equal(("generate", "req-1", "chat"), (record.Operation, record.RequestId, record.Model));
        }

        Assert.Empty(new CrashMarker(_state.FullName, TimeProvider.System).Leftovers());
    }

    [Fact]
    public void TheFileIsRewrittenInPlace_SoAShorterRecordAfterALongerOneReadsBackWhole()
    {
        var marker = new CrashMarker(_state.FullName, TimeProvider.System);
        var profile = TestProfiles.Create("chat");
        marker.Enter(new InflightOperation("load", new string('x', 300), profile)).Dispose();
        var path = marker.InflightPathOf("chat");
        var size = new FileInfo(path).Length;

        using (marker.Enter(new InflightOperation("generate", "short", profile)))
        {
            var record = Assert.Single(new CrashMarker(_state.FullName, TimeProvider.System).Leftovers());
            Assert.Equal("short", record.RequestId);
            // Never created, removed or resized per request: those wait on the file system's journal.
            Assert.Equal(size, new FileInfo(path).Length);
        }
        Assert.True(File.Exists(path));
        Assert.Empty(new CrashMarker(_state.FullName, TimeProvider.System).Leftovers());
    }

    [Fact]
    public void ARecordLeftByAProcessThatDied_IsFoundAndCleared()
    {
        var profile = TestProfiles.Create("chat");
        var dead = new CrashMarker(_state.FullName, TimeProvider.System);
        dead.Enter(new InflightOperation("generate", "req-9", profile)); // never returns: the process died in the call

        var next = new CrashMarker(_state.FullName, TimeProvider.System);
        Assert.Equal("req-9", Assert.Single(next.Leftovers()).RequestId);
        next.ClearLeftovers();
        Assert.Empty(next.Leftovers());
    }
}
