using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Engram.Bench.Commands;

namespace Engram.Bench.Overhead;

/// <summary>
/// The engine ceiling (<see cref="EngineCeiling"/>) in a child engram-bench process of its own, so that the engine
/// measured in-process and the ceiling each have the process, and llama.cpp's OpenMP runtime, to themselves.
/// </summary>
public sealed class EngineCeilingProcess : IDisposable
{
    /// <summary>How samples cross the pipe: a run without a second token has no decode rate (NaN).</summary>
    internal static readonly JsonSerializerOptions Wire = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly Process _process;

    private EngineCeilingProcess(Process process) => _process = process;

    /// <param name="cpus">CPUs to pin the child's main thread to before it loads the model (the engine's threads inherit them).</param>
    public static async Task<EngineCeilingProcess> StartAsync(string modelPath, int threads, int contextLength, IReadOnlyList<int> prompt,
        IReadOnlyList<int>? cpus, CancellationToken cancellationToken)
    {
        var bench = typeof(EngineCeilingProcess).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { bench, EngineCeilingCommand.Name, "--model", modelPath, "--threads", $"{threads}", "--context", $"{contextLength}" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new UserFacingException($"could not start {bench} {EngineCeilingCommand.Name}");
        var child = new EngineCeilingProcess(process);
        try
        {
            if (cpus is { Count: > 0 } && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
            {
                // The child waits for the prompt before it loads, so its main thread (which runs the engine) is pinned first.
                process.ProcessorAffinity = (nint)cpus.Aggregate(0L, (mask, cpu) => cpu < 63 ? mask | (1L << cpu) : throw new UserFacingException(
                    $"--engine-cpus: cpu{cpu} is beyond what the engine ceiling's process can be pinned to"));
            }
            process.ErrorDataReceived += (_, _) => { }; // llama.cpp's load log
            process.BeginErrorReadLine();
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(prompt));
            await process.StandardInput.FlushAsync(cancellationToken);
            var ready = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            if (ready != "ready")
            {
                throw new UserFacingException($"the engine ceiling process did not load the model (it said: {ready ?? "nothing"})");
            }
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    public async Task<OverheadSample> RunAsync(int tokens, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync($"{tokens}");
        await _process.StandardInput.FlushAsync(cancellationToken);
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken)
            ?? throw new UserFacingException($"the engine ceiling process ended (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
        return JsonSerializer.Deserialize<OverheadSample>(line, Wire) ?? throw new UserFacingException($"the engine ceiling process said: {line}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // it ends at the end of its input
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
