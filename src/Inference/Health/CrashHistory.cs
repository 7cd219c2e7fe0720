using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
            LastCrash = Parse(previous, HealthStateJson.Default.LastCrash); // one cut short is forgotten, not fatal
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
        return Parse(text, HealthStateJson.Default.StallRecord)?.Cause;
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
        if (Parse(text, HealthStateJson.Default.ExitRecord) is not { } exit)
        {
            return "unknown (the supervisor's exit record is unreadable)";
        }
        return exit.ExitCode is "killed" or "dumped"
            ? $"SIG{exit.ExitStatus} ({exit.ServiceResult})"
            : $"exit {exit.ExitStatus} ({exit.ServiceResult})";
    }

    private static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    // These files can be cut short (a power loss while one was written): that costs what they said, never the start.
    private static T? Parse<T>(string text, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
