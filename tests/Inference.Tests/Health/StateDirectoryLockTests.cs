using Engram.Inference.Health;

namespace Engram.Inference.Tests.Health;

public sealed class StateDirectoryLockTests
{
    [Fact]
    public void ASecondHolder_IsRefusedNamingTheFirst_UntilTheFirstLetsGo()
    {
        var directory = Directory.CreateTempSubdirectory("engram-lock-").FullName;
        try
        {
            var first = StateDirectoryLock.Acquire(directory);
            var refused = Assert.Throws<StateDirectoryInUseException>(() => StateDirectoryLock.Acquire(directory));
            first.Dispose();
            using var second = StateDirectoryLock.Acquire(directory);

            Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
            Assert.Contains("--Engram:state_dir", refused.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
