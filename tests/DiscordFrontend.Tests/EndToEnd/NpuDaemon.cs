using System.Text;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.EndToEnd;

/// <summary>
/// A daemon on the NPU backend with the fake RKLLM runtime, supervised as systemd would (restarted when it
/// dies): it streams "tok0 tok1 …" at a set rate, which makes streaming pace and mid-reply faults observable.
/// </summary>
public sealed class NpuDaemon : IAsyncDisposable
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588();

    private NpuDaemon(int tokensPerSecond, int tokens)
    {
        Tokens = tokens;
        Supervisor = new TestSupervisor(
            [
                "--root", _root.Path, "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor("1.2.3"),
                "--model", FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm")),
            ],
            new Dictionary<string, string>
            {
                ["FAKE_RKLLM_TOKENS_PER_SECOND"] = tokensPerSecond.ToString(),
                ["FAKE_RKLLM_EOS_AFTER"] = tokens.ToString(),
            },
            watchdog: TimeSpan.FromSeconds(10));
    }

    public TestSupervisor Supervisor { get; }

    public int Tokens { get; }

    public string Address => Supervisor.Address;

    /// <summary>The text every answer is: the runtime's tokens up to its end of sequence.</summary>
    public string Answer => string.Join(" ", Enumerable.Range(0, Tokens).Select(i => $"tok{i}"));

    public static async Task<NpuDaemon> StartAsync(int tokensPerSecond, int tokens)
    {
        var daemon = new NpuDaemon(tokensPerSecond, tokens);
        await daemon.Supervisor.WaitForReadyAsync(1);
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        await Supervisor.DisposeAsync();
        _files.Dispose();
        _root.Dispose();
    }
}
