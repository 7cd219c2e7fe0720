using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Engram.Bench.Daemons;

/// <summary>A real engram-daemon started by the bench on a free loopback port; disposing stops it.</summary>
public sealed partial class DaemonChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _state;

    private DaemonChild(Process process, string address, DirectoryInfo state)
    {
        _process = process;
        Address = address;
        _state = state;
    }

    public string Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the daemon with <paramref name="arguments"/> (plus a loopback port of its choosing) and waits until it listens.</summary>
    public static async Task<DaemonChild> StartAsync(string? executable, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = DaemonExecutable.StartInfo(executable);
        // Its own state directory: a board's running service keeps its crash records and lock to itself.
        var state = Directory.CreateTempSubdirectory("engram-bench-daemon-");
        foreach (var argument in arguments.Concat(["--listen", "127.0.0.1:0", $"--Engram:state_dir={state.FullName}"]))
        {
            info.ArgumentList.Add(argument);
        }
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = Process.Start(info) ?? throw new UserFacingException($"could not start {info.FileName}");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }
            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromMinutes(1), cancellationToken));
        if (first != listening.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            throw new UserFacingException($"engram-daemon did not start listening:\n{string.Join('\n', output.TakeLast(20))}");
        }
        var address = await listening.Task;
        return new DaemonChild(process, address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address, state);
    }

    [GeneratedRegex(@"listening on (\S+) \(gRPC")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _state.Delete(recursive: true);
    }
}
