using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// A llama model's native calls all come from the model's own thread. llama.cpp's OpenMP build keeps a team of
/// compute threads per calling thread, so a decode loop that hopped between pool threads grew another team for
/// every pool thread it ever ran on, all of them beside the cores' real work.
/// </summary>
public sealed class EngineThreadTests
{
    [Fact]
    public async Task EveryGeneration_RunsOnTheModelsOwnThread_WithOneTeamOfComputeThreadsForTheProcessLife()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", RepositoryLayout.BuiltInModel, "--Engram:profiles:default:threads=2", "--Engram:profiles:default:prompt_cache_slots=0"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        GenerateRequest Request(int i) => new() { Prompt = $"Count to {i}.", MaxNewTokens = 6, Temperature = 0 };

        await RecordAsync(daemon.Client, Request(1)).WithTimeout();
        var first = EngineThreads(daemon.ProcessId);
        // Requests that wait in the queue are admitted, and continue, on whatever pool threads are free then.
        await Task.WhenAll(Enumerable.Range(2, 6).Select(i => RecordAsync(daemon.Client, Request(i)).WithTimeout()));
        var later = EngineThreads(daemon.ProcessId);

        // The decode thread and the one more compute thread llama.cpp starts for threads=2; the same ones later.
        Assert.Equal(2, first.Count);
        Assert.Equal(first, later);
    }

    [Fact]
    public async Task CpuAffinity_PinsTheEnginesThreads_AndTheDaemonsOwnThreadsAreKeptOnTheOtherCpus()
    {
        Assert.True(Environment.ProcessorCount >= 2, "needs two CPUs: one for the engine, one for the rest");
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", RepositoryLayout.BuiltInModel, "--Engram:profiles:default:threads=1", "--Engram:profiles:default:cpu_affinity=1"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        await RecordAsync(daemon.Client, new GenerateRequest { Prompt = "Hello", MaxNewTokens = 4 }).WithTimeout();
        // Threads started since (the pool grows while serving) inherit their creator's CPUs and are moved on the next pass.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RecordAsync(daemon.Client, new GenerateRequest { Prompt = "Again", MaxNewTokens = 4 }).WithTimeout()));

        Assert.Equal("1", AllowedCpus(daemon.ProcessId, Assert.Single(EngineThreads(daemon.ProcessId))));
        await TestTimeouts.Eventually(() => Task.FromResult(OtherThreads(daemon.ProcessId).All(thread => AllowedCpus(daemon.ProcessId, thread) is "0" or null)),
            "every thread that is not the engine's runs on cpu0");
        Assert.Contains("llama.cpp ready, 1 threads on cpu1", daemon.OutputText);
        Assert.Contains("the daemon's own threads run on cpu0, the engines' on cpu1 (daemon_cpu_affinity auto)", daemon.OutputText);
    }

    [Fact]
    public async Task DaemonCpuAffinityNone_LeavesTheDaemonsOwnThreadsWhereTheProcessPutThem()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", RepositoryLayout.BuiltInModel, "--Engram:profiles:default:threads=1", "--Engram:profiles:default:cpu_affinity=1",
             "--Engram:daemon_cpu_affinity=none"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        await RecordAsync(daemon.Client, new GenerateRequest { Prompt = "Hello", MaxNewTokens = 4 }).WithTimeout();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // a placement pass would have run by now

        Assert.Equal("1", AllowedCpus(daemon.ProcessId, Assert.Single(EngineThreads(daemon.ProcessId))));
        Assert.Equal($"0-{Environment.ProcessorCount - 1}", AllowedCpus(daemon.ProcessId, daemon.ProcessId));
        Assert.DoesNotContain("the daemon's own threads run on", daemon.OutputText);
    }

    [Fact]
    public async Task DaemonCpuAffinity_NamingCpusTheMachineLacks_IsReportedAndLeavesTheThreadsWhereTheyAre()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", RepositoryLayout.BuiltInModel, "--Engram:daemon_cpu_affinity=1000-1001"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);

        await TestTimeouts.Eventually(() => Task.FromResult(daemon.OutputText.Contains(
            "daemon_cpu_affinity 1000-1001: the kernel refused to move the daemon's threads there", StringComparison.Ordinal)), "the refusal is logged");
        Assert.Equal($"0-{Environment.ProcessorCount - 1}", AllowedCpus(daemon.ProcessId, daemon.ProcessId));
        Assert.False(daemon.HasExited);
    }

    [Fact]
    public async Task CpuAffinity_NamingACpuTheMachineLacks_FailsTheModelAsAPlatformProblem()
    {
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", RepositoryLayout.BuiltInModel, "--Engram:profiles:default:cpu_affinity=0,1000"]);

        await TestTimeouts.Eventually(async () =>
            (await daemon.Client.GetHealthAsync()).Models.Single().State == ModelState.Failed, "the model is marked failed");
        var model = (await daemon.Client.GetHealthAsync()).Models.Single();

        Assert.Equal((FailureClass.Platform, "cpu_affinity"), (model.FailureClass, model.FailureKind));
        Assert.Contains("no usable cpu1000", model.Detail);
        Assert.False(daemon.HasExited);
    }

    // Null for a thread that ended meanwhile.
    private static string? AllowedCpus(int processId, int threadId)
    {
        try
        {
            return File.ReadAllLines($"/proc/{processId}/task/{threadId}/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                .Split(':')[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IReadOnlyList<int> OtherThreads(int processId) =>
        Directory.GetDirectories($"/proc/{processId}/task")
            .Select(task => int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))
            .Except(EngineThreads(processId))
            .ToArray();

    // Threads inherit their creator's name, so llama.cpp's compute threads carry the decode thread's.
    private static IReadOnlyList<int> EngineThreads(int processId) =>
        Directory.GetDirectories($"/proc/{processId}/task")
            .Where(task => (AllowedCpus(processId, int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)) is not null)
                && File.ReadAllText(Path.Combine(task, "comm")).StartsWith("engram-llama-", StringComparison.Ordinal))
            .Select(task => int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
}
