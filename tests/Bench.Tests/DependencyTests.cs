namespace Engram.Bench.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void Bench_DependsOnTheInferenceLibrary_NeverOnTheDaemonProgram()
    {
        var references = typeof(Engram.Bench.ExitCode).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();

        Assert.Contains("Engram.Inference", references);
        Assert.DoesNotContain("engram-daemon", references);
    }
}
