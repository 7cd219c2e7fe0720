using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.DaemonClient.Resilience;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// The daemon's life cycle on an operator's bad day: model files that crash the loader, paths that are not
/// files, endpoints it cannot take, a second daemon, SIGTERM mid-stream. Every one ends in a clear status, a
/// classified health entry or a clean exit code.
/// </summary>
public sealed class LifecycleTests : IDisposable
{
    private readonly ModelArtifacts _files = new();
    private readonly FakePlatformRoot _root = FakePlatformRoot.Rk3588();

    public void Dispose()
    {
        _files.Dispose();
        _root.Dispose();
    }

    private string[] Npu(string model) =>
        ["--root", _root.Path, "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor("1.2.3"), "--model", model];

    private string CrashingModel() => FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm"), crashAtInit: true);

    private static void AssertOneLineFailure(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("engram-daemon: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_AModelThatCrashesTheLoader_IsAVerdict_NotACrashOfTheChecker()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["check", .. Npu(CrashingModel())]);

        Assert.Equal(12, exitCode);
        Assert.Contains("FAILED (runtime/crashed_during_load): loading the model killed the loading process (SIGSEGV, exit 139)", output);
        Assert.Contains("result: failed (exit code 12)", output);
    }

    [Fact]
    public async Task Check_AVocabularyLlamaCppWouldAbortOn_IsCorrupt_WithOrWithoutLoading()
    {
        var duplicate = _files.Patched("duplicate.gguf", bytes => "<0x00>"u8.CopyTo(bytes.AsSpan(bytes.AsSpan().IndexOf("<0x01>"u8))));

        var (loadExit, loadOutput) = await DaemonProcess.RunToExitAsync(["check", "--model", duplicate]);
        var (noLoadExit, noLoadOutput) = await DaemonProcess.RunToExitAsync(["check", "--no-load", "--model", duplicate]);

        Assert.Equal((10, 10), (loadExit, noLoadExit));
        Assert.Contains("FAILED (artifact/corrupt): the vocabulary has the token '<0x00>' twice", loadOutput);
        Assert.Contains("twice", noLoadOutput);
    }

    [Fact]
    public async Task ACrashDuringLoad_IsQuarantined_WithoutACrashLoop_AndLiftsWhenTheFileChanges()
    {
        var model = CrashingModel();
        await using var supervisor = new TestSupervisor(Npu(model), watchdog: TimeSpan.FromSeconds(10));
        await supervisor.Started;
        await TestTimeouts.Eventually(() => Task.FromResult(supervisor.Restarts >= 1), "the first start crashed in the loader", TimeSpan.FromSeconds(60));
        await supervisor.WaitForReadyAsync(1); // READY with the model failed: Health is served

        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = supervisor.Address, MaxRetries = 10 });
        var quarantined = (await client.GetHealthAsync()).Models.Single();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var restartsWhileQuarantined = supervisor.Restarts;

        // A new download: the file changes, the quarantine lifts, and the next start loads it.
        FakeRkllmRuntime.WriteModel(model);
        File.SetLastWriteTimeUtc(model, DateTime.UtcNow.AddSeconds(5));
        supervisor.Daemon.Signal(15);
        await supervisor.WaitForReadyAsync(2);
        var loaded = (await client.GetHealthAsync()).Models.Single();

        Assert.Equal(139, supervisor.ExitCodes.First());
        Assert.Equal((ModelState.Failed, FailureClass.Runtime, "crashed_during_load"), (quarantined.State, quarantined.FailureClass, quarantined.FailureKind));
        Assert.Contains("SIGSEGV", quarantined.Detail);
        Assert.Contains("clear-quarantine", quarantined.Remedy);
        Assert.Equal(1, restartsWhileQuarantined);
        Assert.Equal(ModelState.Ready, loaded.State);
    }

    [Fact]
    public async Task ClearQuarantine_LiftsItByHand()
    {
        var state = Directory.CreateTempSubdirectory("engram-cleared-").FullName;
        var model = FakeRkllmRuntime.WriteModel(_files.PathOf("m_W8A8_RK3588.rkllm"));
        new Inference.Health.LoadQuarantine(state).Add(new Inference.Health.QuarantinedModel("default",
            Inference.Health.ModelFileIdentity.Of(model)!, "SIGSEGV (core-dump)", DateTimeOffset.UtcNow));

        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["clear-quarantine", "--profile", "default", "--state-dir", state]);
        await using var daemon = await DaemonProcess.StartAsync(Npu(model), new Dictionary<string, string> { ["STATE_DIRECTORY"] = state });
        await TestTimeouts.Eventually(async () => (await daemon.Client.GetHealthAsync()).Models.Single().State == ModelState.Ready, "loaded again");

        Assert.Equal(0, exitCode);
        Assert.Contains($"cleared default: {model}", output);
    }

    [Fact]
    public async Task AFifoAsTheModel_IsNotAFile_AndNeverBlocks()
    {
        var fifo = _files.PathOf("model.gguf");
        Process.Start("mkfifo", fifo)!.WaitForExit();

        var (checkExit, checkOutput) = await DaemonProcess.RunToExitAsync(["check", "--model", fifo]);
        var daemon = await DaemonProcess.StartAsync(["--model", fifo]);
        await TestTimeouts.Eventually(async () => (await daemon.Client.GetHealthAsync()).Models.Single().State == ModelState.Failed, "refused");
        var model = (await daemon.Client.GetHealthAsync()).Models.Single();
        daemon.Signal(15);
        var exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(15));
        await daemon.DisposeAsync();

        Assert.Equal(10, checkExit);
        Assert.Contains("FAILED (artifact/not_a_file)", checkOutput);
        Assert.Equal((FailureClass.Artifact, "not_a_file"), (model.FailureClass, model.FailureKind));
        Assert.Equal(0, exit);
    }

    public static TheoryData<string> Unlistenable => ["in-use", "not-this-machine", "metrics-in-use", "socket-path-too-long", "socket-dir-unwritable"];

    [Theory]
    [MemberData(nameof(Unlistenable))]
    public async Task AnEndpointItCannotTake_ExitsWith78_InOneLineNamingTheAddress(string why)
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var busyPort = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var (args, address) = why switch
        {
            "in-use" => (new[] { "--listen", $"127.0.0.1:{busyPort}" }, $"127.0.0.1:{busyPort}"),
            "not-this-machine" => (["--listen", "192.0.2.7:50051", "--insecure"], "192.0.2.7:50051"),
            "metrics-in-use" => (["--listen", $"127.0.0.1:{LoopbackPort.Free()}", "--metrics", $"127.0.0.1:{busyPort}"], $"127.0.0.1:{busyPort}"),
            "socket-path-too-long" => (["--listen", "unix:/tmp/" + new string('s', 120) + ".sock"], "unix:/tmp/sss"),
            _ => (["--listen", "unix:/proc/engram-cannot-be-here/daemon.sock"], "unix:/proc/engram-cannot-be-here/daemon.sock"),
        };

        var (exitCode, output) = await DaemonProcess.RunToExitAsync([.. args, "--model", _files.Good()]);

        Assert.Equal(78, exitCode);
        Assert.Contains(address, output);
        if (why != "socket-path-too-long") // a configuration error: listed with the others
        {
            AssertOneLineFailure(output);
        }
    }

    [Fact]
    public async Task UnixSockets_OnlyAStaleSocketIsReplaced_AndTheModeLetsTheGroupIn()
    {
        var directory = Directory.CreateTempSubdirectory("engram-sock-").FullName;
        var path = Path.Combine(directory, "daemon.sock");
        // A stale socket: bound, never accepted on, left behind by a process that died.
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(path));
        }
        await using var first = await DaemonProcess.StartAsync(["--model", _files.Good(), "--listen", "unix:" + path]);
        var (secondExit, secondOutput) = await DaemonProcess.RunToExitAsync(["--model", _files.Good(), "--listen", "unix:" + path]);
        var notASocket = Path.Combine(directory, "precious.txt");
        File.WriteAllText(notASocket, "keep me");
        var (fileExit, fileOutput) = await DaemonProcess.RunToExitAsync(["--model", _files.Good(), "--listen", "unix:" + notASocket]);
        var stillServing = await first.Client.GetHealthAsync();

        Assert.True(OperatingSystem.IsLinux());
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal(78, secondExit);
        Assert.Contains("another process is accepting connections on it", secondOutput);
        Assert.NotNull(stillServing);
        Assert.Equal(78, fileExit);
        Assert.Contains("it exists and is not a socket", fileOutput);
        Assert.Equal("keep me", File.ReadAllText(notASocket));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task ASecondDaemonOnTheSameStateDirectory_IsRefused_AndCheckNeverTouchesIt()
    {
        var state = Directory.CreateTempSubdirectory("engram-shared-state-").FullName;
        var environment = new Dictionary<string, string> { ["STATE_DIRECTORY"] = state };
        await using var first = await DaemonProcess.StartAsync(["--model", _files.Good()], environment);
        await first.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        var before = Directory.GetFiles(state).Select(Path.GetFileName).Order().ToArray();

        var (secondExit, secondOutput) = await DaemonProcess.RunToExitAsync(["--model", _files.Good()], environment);
        var (checkExit, _) = await DaemonProcess.RunToExitAsync(["check", "--model", _files.Good()], environment);
        var health = await first.Client.GetHealthAsync();

        Assert.Equal(78, secondExit);
        Assert.Contains($"is in use by another engram-daemon (pid {first.ProcessId})", secondOutput);
        AssertOneLineFailure(secondOutput);
        Assert.Equal(0, checkExit);
        Assert.Equal(before, Directory.GetFiles(state).Select(Path.GetFileName).Order().ToArray());
        Assert.Equal(0, health.Restarts);
    }

    [Fact]
    public async Task Sigterm_TellsTheQueuedAtOnce_GivesTheRunningItsGrace_AndExitsZeroSoonAfter()
    {
        var story = ScriptedModel.Write(_files.PathOf("story.gguf"), ScriptedModel.Pieces(ScriptedDaemonFixture.StoryPieces), loop: true,
            embedding: 512, layers: 8, feedForward: 2048, context: 8192);
        var daemon = await DaemonProcess.StartAsync(["--model", story, "--Engram:shutdown_grace_seconds=2",
            "--Engram:profiles:default:max_context_len=8192", "--Engram:profiles:default:max_new_tokens=8000", "--Engram:profiles:default:queue_size=2"]);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(daemon.Address);
        var raw = new Contract.V1.Inference.InferenceClient(channel);
        var running = raw.Generate(Prompt("Tell me a story.", 8000));
        Assert.True(await running.ResponseStream.MoveNext(CancellationToken.None)); // accepted, running
        var queued = new[] { raw.Generate(Prompt("Me too.", 5)), raw.Generate(Prompt("And me.", 5)) };
        foreach (var call in queued)
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None)); // accepted, queued
        }

        var clock = Stopwatch.StartNew();
        daemon.Signal(15);
        var queuedEnds = await Task.WhenAll(queued.Select(async call => (await ReadToEndAsync(call), clock.Elapsed)));
        var (runningEnd, runningStatus) = await ReadToEndAsync(running);
        var exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var exitedAfter = clock.Elapsed;
        await daemon.DisposeAsync();

        Assert.All(queuedEnds, q =>
        {
            Assert.Equal((FinishReason.Cancelled, "daemon shutting down"), (q.Item1.Finished!.Reason, q.Item1.Finished.Error));
            Assert.Equal(RefusalReasons.ShuttingDown, q.Item1.Status.Trailers.GetValue(RefusalTrailers.Reason));
            Assert.True(q.Elapsed < TimeSpan.FromSeconds(1.5), $"told after {q.Elapsed}");
        });
        Assert.Equal((FinishReason.Cancelled, "daemon shutting down"), (runningEnd!.Reason, runningEnd.Error));
        Assert.True(runningEnd.Timings.GeneratedTokens > 0);
        Assert.Equal(StatusCode.Unavailable, runningStatus.StatusCode);
        Assert.Equal(0, exit);
        Assert.True(exitedAfter < TimeSpan.FromSeconds(2 + 2 + 1), $"exited {exitedAfter} after SIGTERM (grace 2 s)");
    }

    private static async Task<(Finished? Finished, RpcException Status)> ReadToEndAsync(AsyncServerStreamingCall<GenerateResponse> call)
    {
        Finished? finished = null;
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (call.ResponseStream.Current.EventCase == GenerateResponse.EventOneofCase.Finished)
                {
                    finished = call.ResponseStream.Current.Finished;
                }
            }
        }
        catch (RpcException ex)
        {
            return (finished, ex);
        }
        return (finished, new RpcException(Status.DefaultSuccess));
    }

    [Fact]
    public async Task ARequestQueuedOnAStoppingDaemon_IsAnsweredByAnother_WithoutTheCallerNoticing()
    {
        var story = ScriptedModel.Write(_files.PathOf("story.gguf"), ScriptedModel.Pieces(ScriptedDaemonFixture.StoryPieces), loop: true,
            embedding: 512, layers: 8, feedForward: 2048, context: 8192);
        string[] Args() => ["--model", story, "--Engram:profiles:default:max_context_len=8192", "--Engram:profiles:default:max_new_tokens=8000",
            "--Engram:profiles:default:temperature=0"];
        await using var stopping = await DaemonProcess.StartAsync(Args());
        await using var other = await DaemonProcess.StartAsync(Args());
        await stopping.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        await other.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        using var busy = new CancellationTokenSource();
        var holding = stopping.Client.GenerateAsync(Prompt("Tell me a story.", 8000), busy.Token).GetAsyncEnumerator(busy.Token);
        await holding.MoveNextAsync();

        using var client = new EngramDaemonClient(new DaemonClientOptions { Addresses = [stopping.Address, other.Address], MaxRetries = 5 });
        await TestTimeouts.Eventually(() => Task.FromResult(client.Endpoints.All(e => e.Serving == true)), "both boards seen serving");
        var notices = new List<RetryNotice>();
        var updates = new List<GenerationUpdate>();
        var asking = Task.Run(async () =>
        {
            await foreach (var update in client.GenerateAsync(Prompt("Hello?", 7), onRetry: notices.Add))
            {
                updates.Add(update);
                if (update is GenerationAccepted { Details.QueuePosition: > 0 })
                {
                    stopping.Signal(15); // it is queued there: now that daemon stops
                }
            }
        });
        await asking.WithTimeout();

        Assert.True(updates.OfType<GenerationAccepted>().Count() == 2, string.Join(" | ", updates) + "\nSTOPPING:\n" + stopping.OutputText + "\nOTHER:\n" + other.OutputText);
        Assert.Contains(notices, n => n.Reason == RetryReason.DaemonShuttingDown);
        var completed = Assert.IsType<GenerationCompleted>(updates[^1]).Details;
        Assert.Equal(7, completed.Timings.GeneratedTokens);
        Assert.Equal(ScriptedDaemonFixture.StoryText, string.Concat(updates.OfType<GenerationText>().Select(t => t.Text)));
        await busy.CancelAsync();
    }
}
