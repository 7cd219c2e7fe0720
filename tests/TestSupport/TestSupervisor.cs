using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Engram.TestSupport;

/// <summary>
/// Plays systemd for a daemon: owns the <c>NOTIFY_SOCKET</c> and reads READY / STATUS / WATCHDOG, gives a
/// <c>WATCHDOG_USEC</c>, restarts the daemon when it dies (recording its exit as ExecStopPost would) or when
/// the watchdog pings stop (killing it with SIGABRT, as systemd does). Always the same port and state directory.
/// </summary>
public sealed class TestSupervisor : IAsyncDisposable
{
    private readonly string _socketPath;
    private readonly Socket _socket;
    private readonly IReadOnlyList<string> _arguments;
    private readonly Dictionary<string, string> _environment;
    private readonly TimeSpan _watchdog;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(DateTime At, string Message)> _notifications = new();
    private readonly Task _listener;
    private readonly Task _monitor;
    private long _lastPing;
    private int _readyCount;
    private int _readySinceStart; // systemd enforces the watchdog once the service is up
    private TaskCompletionSource? _restartHold;

    public TestSupervisor(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? watchdog = null)
    {
        Port = LoopbackPort.Free();
        StateDirectory = Directory.CreateTempSubdirectory("engram-supervised-").FullName;
        _socketPath = Path.Combine(StateDirectory, "notify.sock");
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _watchdog = watchdog ?? TimeSpan.FromSeconds(3);
        _arguments = [.. arguments, "--listen", $"127.0.0.1:{Port}"];
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["NOTIFY_SOCKET"] = _socketPath,
            ["WATCHDOG_USEC"] = ((long)_watchdog.TotalMicroseconds).ToString(),
            ["STATE_DIRECTORY"] = StateDirectory,
        };
        _listener = Task.Run(ListenAsync);
        Daemon = null!;
        _monitor = Task.Run(MonitorAsync);
    }

    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";
    public string StateDirectory { get; }
    public DaemonProcess Daemon { get; private set; }

    /// <summary>How many times the watchdog had to kill the daemon (it did not end itself).</summary>
    public int WatchdogKills { get; private set; }

    /// <summary>How many times the daemon was started again after dying or hanging.</summary>
    public int Restarts { get; private set; }

    /// <summary>How each previous process ended: the exit code .NET reports (128 + signal when killed by one).</summary>
    public ConcurrentQueue<int> ExitCodes { get; } = new();

    /// <summary>Every daemon process started, in order.</summary>
    public ConcurrentQueue<int> ProcessIds { get; } = new();

    public IReadOnlyList<string> Notifications => _notifications.Select(n => n.Message).ToArray();

    public int ReadyCount => Volatile.Read(ref _readyCount);

    /// <summary>Keeps the daemon down after its next exit until <see cref="ReleaseRestart"/>, as a long RestartSec would.</summary>
    public void HoldRestart() =>
        Volatile.Write(ref _restartHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ReleaseRestart() => Volatile.Read(ref _restartHold)?.TrySetResult();

    /// <summary>Waits until the daemon has said READY=1 at least <paramref name="count"/> times in all.</summary>
    public Task WaitForReadyAsync(int count = 1, TimeSpan? timeout = null) =>
        TestTimeouts.Eventually(() => Failure is null ? Task.FromResult(ReadyCount >= count) : throw new InvalidOperationException("the supervisor failed", Failure),
            $"READY=1 number {count}", timeout);

    private readonly TaskCompletionSource _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _firstStart.Task;

    private async Task MonitorAsync()
    {
        try
        {
            await SuperviseAsync();
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            // A broken supervisor must fail the test loudly, not leave it waiting for a restart that never comes.
            _firstStart.TrySetException(ex);
            Failure = ex;
        }
    }

    /// <summary>Set when the supervisor itself failed.</summary>
    public Exception? Failure { get; private set; }

    private async Task SuperviseAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _lastPing, Stopwatch.GetTimestamp());
            Interlocked.Exchange(ref _readySinceStart, 0);
            Daemon = await DaemonProcess.StartAsync(_arguments, _environment);
            ProcessIds.Enqueue(Daemon.ProcessId);
            _firstStart.TrySetResult();
            var watchdogFired = false;
            while (!_stop.IsCancellationRequested && !Daemon.HasExited)
            {
                var quiet = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastPing));
                if (Volatile.Read(ref _readySinceStart) > 0 && quiet > _watchdog)
                {
                    watchdogFired = true;
                    WatchdogKills++;
                    // systemd: "Watchdog timeout", WatchdogSignal (SIGABRT), then SIGKILL after TimeoutAbortSec. The .NET
                    // runtime does not always die of SIGABRT while a thread is stuck in native code, hence the second step.
                    Daemon.Signal(6);
                    if (!await ExitsWithinAsync(TimeSpan.FromSeconds(2)))
                    {
                        Daemon.Signal(9);
                    }
                    await Daemon.WaitForExitAsync();
                    break;
                }
                await Task.Delay(50);
            }
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            var exitCode = await Daemon.WaitForExitAsync();
            ExitCodes.Enqueue(exitCode);
            await RecordExitAsync(exitCode, watchdogFired);
            await Daemon.DisposeAsync();
            Restarts++;
            await Task.Delay(200); // RestartSec
            if (Interlocked.Exchange(ref _restartHold, null) is { } hold)
            {
                await hold.Task.WaitAsync(_stop.Token);
            }
        }
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (!Daemon.HasExited && deadline.Elapsed < limit)
        {
            await Task.Delay(50);
        }
        return Daemon.HasExited;
    }

    // What ExecStopPost=engram-daemon record-exit sees from systemd.
    private async Task RecordExitAsync(int exitCode, bool watchdog)
    {
        var signal = exitCode > 128 ? exitCode - 128 : 0;
        var names = new Dictionary<int, string> { [6] = "ABRT", [9] = "KILL", [11] = "SEGV", [15] = "TERM" };
        // A watchdog kill is reported as systemd does: result "watchdog", whichever signal finally ended it.
        var environment = new Dictionary<string, string>
        {
            ["SERVICE_RESULT"] = watchdog ? "watchdog" : signal == 11 || signal == 6 ? "core-dump" : signal > 0 ? "signal" : "exit-code",
            ["EXIT_CODE"] = signal == 11 || signal == 6 ? "dumped" : signal > 0 ? "killed" : "exited",
            ["EXIT_STATUS"] = signal > 0 ? names.GetValueOrDefault(signal, signal.ToString()) : exitCode.ToString(),
        };
        await DaemonProcess.RunToExitAsync(["record-exit", "--state-dir", StateDirectory], environment);
    }

    private async Task ListenAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var message = Encoding.UTF8.GetString(buffer, 0, received);
            _notifications.Enqueue((DateTime.UtcNow, message));
            foreach (var line in message.Split('\n'))
            {
                if (line == "WATCHDOG=1")
                {
                    Interlocked.Exchange(ref _lastPing, Stopwatch.GetTimestamp());
                }
                if (line == "READY=1")
                {
                    Interlocked.Exchange(ref _lastPing, Stopwatch.GetTimestamp());
                    Interlocked.Increment(ref _readyCount);
                    Interlocked.Exchange(ref _readySinceStart, 1);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _monitor.ContinueWith(_ => { });
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
        _socket.Dispose();
        await _listener.ContinueWith(_ => { });
        Directory.Delete(StateDirectory, recursive: true);
    }
}
