using Engram.Inference.Health;

namespace Engram.Inference.Tests.Health;

public sealed class LoadQuarantineTests : IDisposable
{
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("engram-quarantine-");
    private readonly DirectoryInfo _models = Directory.CreateTempSubdirectory("engram-models-");

    public void Dispose()
    {
        _state.Delete(recursive: true);
        _models.Delete(recursive: true);
    }

    private string Model(string content = "model")
    {
        var path = Path.Combine(_models.FullName, "m.gguf");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void AQuarantinedFile_StaysQuarantinedAcrossRestarts_UntilItChanges()
    {
        var path = Model();
        new LoadQuarantine(_state.FullName).Add(new QuarantinedModel("npu", ModelFileIdentity.Of(path)!, "SIGSEGV (core-dump)", DateTimeOffset.UnixEpoch));

        var again = new LoadQuarantine(_state.FullName); // the next start
        var stillThere = again.Find("npu", path, out var notLifted);
        File.WriteAllText(path, "a new download");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var afterChange = again.Find("npu", path, out var lifted);

        Assert.Equal("SIGSEGV (core-dump)", stillThere?.Signal);
        Assert.Null(notLifted);
        Assert.Null(afterChange);
        Assert.Equal("npu", lifted?.Model);
        Assert.Empty(new LoadQuarantine(_state.FullName).Entries);
    }

    [Fact]
    public void Clear_LiftsOneModelOrAll()
    {
        var path = Model();
        var quarantine = new LoadQuarantine(_state.FullName);
        quarantine.Add(new QuarantinedModel("a", ModelFileIdentity.Of(path)!, "SIGABRT", DateTimeOffset.UnixEpoch));
        quarantine.Add(new QuarantinedModel("b", ModelFileIdentity.Of(path)!, "SIGABRT", DateTimeOffset.UnixEpoch));

        Assert.Equal(["a"], quarantine.Clear("a").Select(e => e.Model));
        Assert.Equal(["b"], quarantine.Entries.Select(e => e.Model));
        Assert.Equal(["b"], quarantine.Clear().Select(e => e.Model));
        Assert.Empty(quarantine.Entries);
    }
}
