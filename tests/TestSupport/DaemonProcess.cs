using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Engram.DaemonClient;

namespace Engram.TestSupport;

/// <summary>
/// A real engram-daemon process on a free loopback port (it binds port 0 and logs the port it got), with
/// its output captured. Disposing kills it, so no test leaves a process behind.
/// </summary>
public sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EngramDaemonClient? _client;

    private DaemonProcess(Process process) => _process = process;

    public string Address { get; private set; } = "";

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <summary>Everything the daemon printed so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyCollection<string> Output => _output;

    public string OutputText => string.Join('\n', _output);

    /// <summary>A client that shows the daemon's own answers: no retries, so a refusal arrives as it was sent.</summary>
    public EngramDaemonClient Client => _client ??= new EngramDaemonClient(new DaemonClientOptions { Address = Address, MaxRetries = 0 });

    public bool HasExited => _process.HasExited;

    /// <summary>The daemon's resident memory now (VmRSS), in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        }
    }

    /// <summary>Starts the daemon and waits until it listens. Throws with its output if it exits first.</summary>
    public static async Task<DaemonProcess> StartAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? executable = null)
    {
        // A free loopback port unless the test chose its own endpoint.
        var chosen = arguments.ToArray();
        var daemon = Launch(chosen.Contains("--listen") ? chosen : ["--listen", "127.0.0.1:0", .. chosen], environment, executable);
        daemon.Arguments = chosen;
        var exited = daemon._process.WaitForExitAsync();
        var first = await Task.WhenAny(daemon._listening.Task, exited, Task.Delay(TestTimeouts.Default));
        if (first != daemon._listening.Task)
        {
            var text = daemon.OutputText;
            await daemon.DisposeAsync();
            throw new InvalidOperationException($"engram-daemon did not start listening:\n{text}");
        }
        var bound = await daemon._listening.Task;
        daemon.Address = bound.Contains("://", StringComparison.Ordinal) || bound.StartsWith("unix:", StringComparison.Ordinal) ? bound : "http://" + bound;
        return daemon;
    }

    /// <summary>Runs the daemon with these arguments to completion (for command-line and configuration errors).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? executable = null)
    {
        await using var daemon = Launch(arguments, environment, executable);
        await daemon._process.WaitForExitAsync().WithTimeout();
        daemon._process.WaitForExit(); // drains the output readers
        return (daemon._process.ExitCode, daemon.OutputText);
    }

    /// <param name="executable">A published engram-daemon to run instead of this build's engram-daemon.dll; without it,
    /// <c>$ENGRAM_TEST_DAEMON</c> when set (to run the suite against a published package's native binary).</param>
    private static DaemonProcess Launch(IEnumerable<string> arguments, IDictionary<string, string>? environment, string? executable = null)
    {
        executable ??= Environment.GetEnvironmentVariable("ENGRAM_TEST_DAEMON") is { Length: > 0 } published ? published : null;
        var info = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (executable is null)
        {
            info.ArgumentList.Add(RepositoryLayout.DaemonAssembly);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        // Each daemon gets its own state directory (crash records) unless the test shares one on purpose.
        info.Environment["STATE_DIRECTORY"] = Directory.CreateTempSubdirectory("engram-state-").FullName;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"listening on (\S+) \(gRPC")]
    private static partial Regex ListeningLine();

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WithTimeout(timeout);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal (e.g. SIGABRT = 6, SIGTERM = 15) to the daemon, as a supervisor would.</summary>
    public void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        // A supervisor disposes each process it restarts, and its own disposal may meet the last one again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _client?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WithTimeout();
        }
        _process.Dispose();
    }
}
