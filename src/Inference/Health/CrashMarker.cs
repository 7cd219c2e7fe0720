using System.Text.Json;
using Engram.Inference.Engine;

namespace Engram.Inference.Health;

/// <summary>What the daemon was doing in native code, as recorded before the call, and the model file it was using.</summary>
public sealed record InflightRecord(string Operation, string RequestId, string Model, string Backend, DateTimeOffset At)
{
    public ModelFileIdentity? File { get; init; }
}

/// <summary>
/// Records, in the state directory, what is about to run in native code (one file per model) and removes
/// the record when the call returns. A record still there at the next start means the process died inside
/// that call: a segfault, abort() or kill by the watchdog.
/// </summary>
public sealed class CrashMarker(string stateDirectory, TimeProvider time) : IInflightRecorder
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string StateDirectory { get; } = stateDirectory;

    public string InflightPathOf(string model) => Path.Combine(StateDirectory, $"inflight-{model}.json");

    /// <summary>Writes the record (flushed to disk, so it survives the crash it is for) and returns its remover.</summary>
    public IDisposable Enter(InflightOperation operation)
    {
        Directory.CreateDirectory(StateDirectory);
        var profile = operation.Profile;
        var path = InflightPathOf(profile.Name);
        var record = new InflightRecord(operation.Operation, operation.RequestId, profile.Name, profile.Backend, time.GetUtcNow())
        {
            File = ModelFileIdentity.Of(profile.ModelPath),
        };
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            JsonSerializer.Serialize(file, record, Json);
            file.Flush(flushToDisk: true);
        }
        return new Removal(path);
    }

    /// <summary>The records left by a process that died, oldest first.</summary>
    public IReadOnlyList<InflightRecord> Leftovers() => !Directory.Exists(StateDirectory)
        ? []
        : Directory.GetFiles(StateDirectory, "inflight-*.json")
            .Select(Read).OfType<InflightRecord>().OrderBy(r => r.At).ToArray();

    public void ClearLeftovers()
    {
        foreach (var file in Directory.Exists(StateDirectory) ? Directory.GetFiles(StateDirectory, "inflight-*.json") : [])
        {
            File.Delete(file);
        }
    }

    private static InflightRecord? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<InflightRecord>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private sealed class Removal(string path) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                File.Delete(path);
            }
        }
    }
}
