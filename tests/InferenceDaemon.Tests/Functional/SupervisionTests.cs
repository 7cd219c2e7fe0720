using System.Diagnostics;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;
using Grpc.Core;
using Polly.CircuitBreaker;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// Native crashes and hangs stay in the daemon: a supervisor playing systemd restarts it, clients notice and
/// recover by themselves, and Health tells what happened. Faults come from the fake RKLLM runtime (real signals).
/// </summary>
public sealed class SupervisionTests : IDisposable
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588();

    public void Dispose()
    {
        _files.Dispose();
        _root.Dispose();
    }

    private TestSupervisor Supervise() => new(
        [
            "--root", _root.Path, "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor("1.2.3"),
            "--model", FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm")),
            "--Engram:stall_timeout_seconds=2",
        ],
        // Slow enough that tokens sent before a crash reach the client even on a loaded machine (a token every 100 ms).
        new Dictionary<string, string> { ["FAKE_RKLLM_TOKENS_PER_SECOND"] = "10" },
        watchdog: TimeSpan.FromSeconds(3));

    private static EngramDaemonClient Client(TestSupervisor supervisor) => new(new DaemonClientOptions
    {
        Address = supervisor.Address,
        MaxRetries = 10,
        RetryDelay = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(1),
    });

    private static async Task<StreamInterruptedException> ExpectInterruptedAsync(EngramDaemonClient client, string prompt, List<string> text)
    {
        return await Assert.ThrowsAsync<StreamInterruptedException>(async () =>
        {
            await foreach (var update in client.GenerateAsync(Prompt(prompt, 40)))
            {
                if (update is GenerationText t)
                {
                    text.Add(t.Text);
                }
            }
        }).WithTimeout();
    }

    [Fact]
    public async Task SegfaultMidStream_TheClientLearnsWhyTheDaemonComesBackAndHealthReportsTheCrash()
    {
        await using var supervisor = Supervise();
        await supervisor.WaitForReadyAsync(1);
        using var client = Client(supervisor);
        var text = new List<string>();
        // A fresh daemon compiles its token path on its first request, which on a loaded machine can take longer than
        // the few hundred milliseconds between the first token and the segfault; the crash is about a served daemon.
        await RecordAsync(client, Prompt("Warm up.", 2)).WithTimeout();

        var broken = await ExpectInterruptedAsync(client, "[[crash:5]] tell me", text);
        await supervisor.WaitForReadyAsync(2);
        var next = await RecordAsync(client, Prompt("Again.", 3)).WithTimeout();
        var health = await client.GetHealthAsync();

        // The runtime produced five tokens before the segfault; those already on the wire arrive, the rest die with it.
        Assert.StartsWith(string.Concat(text), "tok0 tok1 tok2 tok3 tok4");
        Assert.InRange(broken.TokensDelivered, 1, 5);
        Assert.Equal(text.Count, broken.TokensDelivered);
        Assert.Equal(StatusCode.Unavailable, broken.StatusCode);
        Assert.Equal(139, supervisor.ExitCodes.Single()); // 128 + SIGSEGV
        Assert.Equal("tok0 tok1 tok2", next.Text);
        Assert.Equal(1, health.Restarts);
        Assert.Equal("generate", health.LastCrash.Operation);
        Assert.Equal("default", health.LastCrash.Model);
        Assert.Equal("rkllm", health.LastCrash.Backend);
        Assert.Equal("SIGSEGV (core-dump)", health.LastCrash.Signal);
        Assert.Contains(supervisor.Notifications, n => n.Contains("STATUS=loading model default"));
        Assert.Equal(2, supervisor.Notifications.Count(n => n.StartsWith("READY=1")));
        Assert.Contains(supervisor.Daemon.Output, l => l.Contains("recovered from a crash: the previous process died during generate on model default"));
    }

    [Fact]
    public async Task DaemonDown_OpensTheBreakerAndItClosesOnceTheDaemonIsBack()
    {
        await using var supervisor = Supervise();
        await supervisor.WaitForReadyAsync(1);
        using var client = Client(supervisor);
        using var impatient = new EngramDaemonClient(new DaemonClientOptions
        {
            Address = supervisor.Address, MaxRetries = 0, BreakerMinimumThroughput = 2, BreakDuration = TimeSpan.FromSeconds(1),
        });

        await RecordAsync(client, Prompt("Warm up.", 2)).WithTimeout(); // a served daemon: its token path is compiled
        // The daemon stays down until the client has seen it down: how fast a restart is must not decide the test.
        supervisor.HoldRestart();
        // Three tokens first: the call is committed before the crash, so the client reports it interrupted rather than
        // retrying a request it never saw start against a daemon that is being held down.
        await ExpectInterruptedAsync(client, "[[crash:3]] go", []);
        var sawOpen = false;
        var trying = Stopwatch.StartNew();
        while (!sawOpen && trying.Elapsed < TestTimeouts.Default)
        {
            try
            {
                await RecordAsync(impatient, Prompt("Are you there?", 1)).WithTimeout();
            }
            catch (Exception ex) when (ex is RpcException or BrokenCircuitException)
            {
                sawOpen |= ex is BrokenCircuitException || impatient.BreakerState == CircuitState.Open;
            }
        }
        supervisor.ReleaseRestart();
        await supervisor.WaitForReadyAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the break duration
        var after = await RecordAsync(impatient, Prompt("Back?", 2)).WithTimeout();

        Assert.True(sawOpen, "the breaker never opened while the daemon was down");
        Assert.Equal(CircuitState.Closed, impatient.BreakerState);
        Assert.Equal(2, after.Finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task AClientPausingTheModel_IsNotAnEngineStall_TheWatchdogKeepsBeingPinged()
    {
        // The client stops reading longer than the stall limit (1 s) but within write_stall_seconds (3 s): a pause it
        // caused, which ends its own generation, not the daemon.
        await using var supervisor = new TestSupervisor(
            [
                "--root", _root.Path, "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor("1.2.3"),
                "--model", FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm")),
                "--Engram:stall_timeout_seconds=1", "--Engram:write_stall_seconds=3",
                "--Engram:profiles:default:max_new_tokens=20000",
            ],
            new Dictionary<string, string> { ["FAKE_RKLLM_TOKENS_PER_SECOND"] = "4000", ["FAKE_RKLLM_EOS_AFTER"] = "20000" },
            watchdog: TimeSpan.FromSeconds(3));
        await supervisor.WaitForReadyAsync(1);
        using var client = Client(supervisor);

        await using var stalled = await StalledHttp2Client.CallAsync(supervisor.Address, "/engram.v1.Inference/Generate", Prompt("Talk.", 20000));
        var reset = await stalled.Ended.Task.WithTimeout(TimeSpan.FromSeconds(30));
        var next = await RecordAsync(client, Prompt("Still there?", 2)).WithTimeout();

        Assert.StartsWith("RST_STREAM", reset);
        Assert.Equal(0, supervisor.Restarts);
        Assert.DoesNotContain(supervisor.Notifications, n => n.Contains("stalled", StringComparison.Ordinal));
        Assert.Equal(2, next.Finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task HungNativeCall_TheDaemonEndsItselfWithACoreDumpAndSaysWhatHung_AndIsRestarted()
    {
        await using var supervisor = Supervise();
        await supervisor.WaitForReadyAsync(1);
        using var client = Client(supervisor);

        StreamInterruptedException broken;
        try
        {
            broken = await ExpectInterruptedAsync(client, "[[hang:2]] and then nothing", []);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; notifications: {string.Join(" | ", supervisor.Notifications)}; exits: {string.Join(",", supervisor.ExitCodes)}; supervisor failure: {supervisor.Failure}; " +
                $"daemon: {string.Join("\n", supervisor.Daemon.Output.TakeLast(8))}");
        }
        await supervisor.WaitForReadyAsync(2);
        var health = await client.GetHealthAsync();
        var next = await RecordAsync(client, Prompt("Again.", 2)).WithTimeout();

        Assert.Equal(2, broken.TokensDelivered);
        // Its own stall detector ended it (SIGABRT, a core dump where enabled) before the watchdog had to.
        Assert.Equal(134, supervisor.ExitCodes.Single());
        Assert.Equal(0, supervisor.WatchdogKills);
        Assert.Equal("SIGABRT (core-dump)", health.LastCrash.Signal);
        Assert.Equal(("generate", "default"), (health.LastCrash.Operation, health.LastCrash.Model));
        Assert.Contains("stall detector", health.LastCrash.Cause);
        Assert.Contains("model default: no progress from the rkllm backend", health.LastCrash.Cause);
        Assert.Equal("tok0 tok1", next.Text);
    }

    [Fact]
    public async Task TwentyCrashesInARow_NoStuckClientNoLeakedProcessNoSilentLoss()
    {
        await using var supervisor = Supervise();
        await supervisor.WaitForReadyAsync(1);
        using var client = Client(supervisor);

        for (var crash = 1; crash <= 20; crash++)
        {
            // Each request either ends with an error the caller sees, or completes: none vanishes.
            var broken = await ExpectInterruptedAsync(client, "[[crash:1]] again", []);
            Assert.InRange(broken.TokensDelivered, 0, 1);
            await supervisor.WaitForReadyAsync(crash + 1, TimeSpan.FromSeconds(60));
        }
        var last = await RecordAsync(client, Prompt("Still there?", 2)).WithTimeout();
        var health = await client.GetHealthAsync();

        Assert.Equal(2, last.Finished.Timings.GeneratedTokens);
        // At least one crash per request. A daemon can die before its "accepted" reaches the client (it was
        // written, not yet flushed); the client then retries the call it never saw accepted, and that daemon
        // crashes too. So: every restart was a crash, each one counted, and no more than the retries allow.
        Assert.All(supervisor.ExitCodes, code => Assert.Equal(139, code));
        Assert.Equal(supervisor.ExitCodes.Count, health.Restarts);
        Assert.InRange(health.Restarts, 20, 20 * (1 + client.Options.MaxRetries));
        var current = supervisor.Daemon.ProcessId;
        Assert.All(supervisor.ProcessIds.Where(pid => pid != current), pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"daemon {pid} leaked"));
    }
}
