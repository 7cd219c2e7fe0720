using System.Text.Json;
using Engram.Inference.Engine;

namespace Engram.Inference.Health;

/// <summary>
/// The crash this daemon recovered from, as Health reports it. <paramref name="Cause"/> is what the daemon itself
/// knew when it ended (its stall detector fired), when it knew anything.
/// </summary>
public sealed record LastCrash(InflightRecord Record, string Signal, DateTimeOffset RecoveredAt, string? Cause = null);

/// <summary>
/// Read once at start: finds the in-flight record of a process that died, the exit the supervisor recorded
/// for it (<c>engram-daemon record-exit</c>, run by systemd's ExecStopPost), and counts restarts after crashes.
/// </summary>
public sealed class CrashHistory
{
    public const string LastExitFile = "last-exit.json";
    /// <summary>Written by the daemon just before it ends itself because a native call stopped making progress.</summary>
    public const string StallFile = "stall.json";
    private const string RestartsFile = "restarts";
    private const string LastCrashFile = "last-crash.json";

    public CrashHistory(CrashMarker marker, LoadQuarantine quarantine, TimeProvider time)
    {
        var directory = marker.StateDirectory;
        Directory.CreateDirectory(directory);
        var leftovers = marker.Leftovers();
        var leftover = leftovers.LastOrDefault();
        Restarts = int.TryParse(ReadOrNull(Path.Combine(directory, RestartsFile)), out var restarts) ? restarts : 0;
        if (leftover is not null)
        {
            Restarts++;
            File.WriteAllText(Path.Combine(directory, RestartsFile), Restarts.ToString());
            var signal = ExitSignal(directory);
            LastCrash = new LastCrash(leftover, signal, time.GetUtcNow(), TakeStallCause(directory));
            File.WriteAllText(Path.Combine(directory, LastCrashFile), JsonSerializer.Serialize(LastCrash, HealthStateJson.Default.LastCrash));
            IsNew = true;
            // A model whose load killed the process is not loaded again until its file changes (no crash loop).
            foreach (var load in leftovers.Where(r => r.Operation == "load" && r.File is not null))
            {
                quarantine.Add(new QuarantinedModel(load.Model, load.File!, signal, load.At));
            }
            marker.ClearLeftovers();
        }
        else if (ReadOrNull(Path.Combine(directory, LastCrashFile)) is { } previous)
        {
            LastCrash = JsonSerializer.Deserialize(previous, HealthStateJson.Default.LastCrash);
        }
    }

    public LastCrash? LastCrash { get; }

    /// <summary>Starts that found a process had died in native code.</summary>
    public int Restarts { get; }

    /// <summary>True when this start is the one that recovered from <see cref="LastCrash"/> (so it is logged once).</summary>
    public bool IsNew { get; }

    /// <summary>Records, just before the daemon ends itself, why: read back as <see cref="LastCrash.Cause"/> at the next start.</summary>
    public static void RecordStall(string stateDirectory, string cause)
    {
        Directory.CreateDirectory(stateDirectory);
        using var file = new FileStream(Path.Combine(stateDirectory, StallFile), FileMode.Create, FileAccess.Write, FileShare.Read);
        JsonSerializer.Serialize(file, new StallRecord(cause), HealthStateJson.Default.StallRecord);
        file.Flush(flushToDisk: true);
    }

    private static string? TakeStallCause(string directory)
    {
        var path = Path.Combine(directory, StallFile);
        if (ReadOrNull(path) is not { } text)
        {
            return null;
        }
        File.Delete(path);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("cause", out var cause) ? cause.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes what the supervisor saw when the process ended (systemd's $SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS).</summary>
    public static void RecordExit(string stateDirectory, string? serviceResult, string? exitCode, string? exitStatus)
    {
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(Path.Combine(stateDirectory, LastExitFile),
            JsonSerializer.Serialize(new ExitRecord(serviceResult, exitCode, exitStatus), HealthStateJson.Default.ExitRecord));
    }

    private static string ExitSignal(string directory)
    {
        var path = Path.Combine(directory, LastExitFile);
        if (ReadOrNull(path) is not { } text)
        {
            return "unknown (no exit recorded by the supervisor)";
        }
        File.Delete(path);
        using var document = JsonDocument.Parse(text);
        string? Field(string name) => document.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return Field("exit_code") == "killed" || Field("exit_code") == "dumped"
            ? $"SIG{Field("exit_status")} ({Field("service_result")})"
            : $"exit {Field("exit_status")} ({Field("service_result")})";
    }

    private static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
