using Grpc.Core;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// A llama model's weights are mapped from its file by default, as llama-server maps them: the page cache holds
/// them once, for every process that reads the file, and they can be reclaimed and read again under pressure.
/// Copying them into the daemon's own memory is an explicit choice (load_mode read).
/// </summary>
public sealed class ModelMappingTests
{
    [Fact]
    public async Task ByDefault_TheWeightsAreMappedFromTheModelFile()
    {
        await using var daemon = await StartAndGenerateAsync(RepositoryLayout.BuiltInModel);

        Assert.True(MappedBytes(daemon.ProcessId, RepositoryLayout.BuiltInModel) > 0, "the model file is mapped into the daemon");
        Assert.Contains("weights mapped from the file", daemon.OutputText);
    }

    [Fact]
    public async Task LoadModeRead_CopiesTheWeightsIntoTheDaemon_AndLeavesNoMapping()
    {
        await using var daemon = await StartAndGenerateAsync(RepositoryLayout.BuiltInModel, "--Engram:profiles:default:load_mode=read");

        Assert.Equal(0, MappedBytes(daemon.ProcessId, RepositoryLayout.BuiltInModel));
        Assert.Contains("weights read into memory", daemon.OutputText);
    }

    [Fact]
    public async Task LoadModeMlock_LocksTheMappedWeightsInMemory()
    {
        await using var daemon = await StartAndGenerateAsync(RepositoryLayout.BuiltInModel, "--Engram:profiles:default:load_mode=mlock");

        Assert.True(MappedBytes(daemon.ProcessId, RepositoryLayout.BuiltInModel) > 0, "the model file is mapped into the daemon");
        Assert.True(LockedBytes(daemon.ProcessId) >= new FileInfo(RepositoryLayout.BuiltInModel).Length * 9 / 10, "the weights are locked (VmLck)");
        Assert.Contains("weights mapped from the file and locked in memory", daemon.OutputText);
    }

    [Fact]
    public async Task AMappedFileOverwrittenUnderTheDaemon_EndsItAsANativeCrash_ThatTheNextStartReports()
    {
        using var files = new ModelArtifacts();
        var model = files.Good("live.gguf");
        var intact = File.ReadAllBytes(model);
        var state = files.PathOf("state");
        string[] settings = [$"--Engram:state_dir={state}", "--Engram:profiles:default:prompt_cache_slots=0"];
        await using (var daemon = await StartAndGenerateAsync(model, settings))
        {
            // An operator copying a new download over the old file: the pages the daemon maps are gone.
            File.WriteAllBytes(model, intact[..4096]);

            // The process dies in the prefill: the client sees its stream cut, or, when the death came before the call's
            // first reply left the daemon, the call fail to start (Unavailable); never a hang or a clean end.
            var error = await Assert.ThrowsAnyAsync<Exception>(() => RecordAsync(daemon.Client, new GenerateRequest { Prompt = "Again", MaxNewTokens = 4 }));
            Assert.True(error is StreamInterruptedException or RpcException { StatusCode: StatusCode.Unavailable }, error.ToString());
            Assert.Equal(128 + 7, await daemon.WaitForExitAsync(TestTimeouts.Default)); // SIGBUS
        }
        File.WriteAllBytes(model, intact);

        await using var restarted = await StartAndGenerateAsync(model, settings);
        var crash = (await restarted.Client.GetHealthAsync()).LastCrash;

        Assert.Equal(("generate", "default", "llama"), (crash.Operation, crash.Model, crash.Backend));
    }

    private static async Task<DaemonProcess> StartAndGenerateAsync(string model, params string[] settings)
    {
        var daemon = await DaemonProcess.StartAsync(["--model", model, .. settings]);
        try
        {
            await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
            var recording = await RecordAsync(daemon.Client, new GenerateRequest { Prompt = "Hello", MaxNewTokens = 4, Temperature = 0 }).WithTimeout();
            Assert.Equal(FinishReason.Length, recording.Finished.Reason);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private static long LockedBytes(int processId) =>
        long.Parse(File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith("VmLck:", StringComparison.Ordinal))
            .Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;

    // The size of every mapping of the file in the process (/proc/PID/maps: "start-end perms offset dev inode path").
    private static long MappedBytes(int processId, string path)
    {
        var full = Path.GetFullPath(path);
        return File.ReadLines($"/proc/{processId}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].Trim() == full)
            .Sum(fields =>
            {
                var range = fields[0].Split('-');
                return Convert.ToInt64(range[1], 16) - Convert.ToInt64(range[0], 16);
            });
    }
}
