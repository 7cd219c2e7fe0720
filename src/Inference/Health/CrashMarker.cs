using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Engram.Inference.Engine;

namespace Engram.Inference.Health;

/// <summary>What the daemon was doing in native code, as recorded before the call, and the model file it was using.</summary>
public sealed record InflightRecord(string Operation, string RequestId, string Model, string Backend, DateTimeOffset At)
{
    public ModelFileIdentity? File { get; init; }
}

/// <summary>
/// Records, in the state directory, what is about to run in native code (one file per model) and blanks the
/// record when the call returns. A record still there at the next start means the process died inside that
/// call: a segfault, abort() or kill by the watchdog.
/// </summary>
/// <remarks>
/// This sits on every request's way to its first token, so each model's file is opened once and rewritten in
/// place at a size that only grows: no file is created, removed or resized per request, which is what waits for
/// the file system's journal (tens of milliseconds seen here, far more on an SD card). Nothing is flushed to disk
/// either: the record is for the death of this process, which the kernel's page cache outlives. The files stay open
/// for the life of the process, never closed by the container at shutdown: a backend still stopping then (an NPU
/// abort released in the background) must still be able to blank its record, or the next start reports a crash.
/// </remarks>
public sealed class CrashMarker(string stateDirectory, TimeProvider time) : IInflightRecorder
{
    private readonly ConcurrentDictionary<string, MarkerFile> _files = new(StringComparer.Ordinal);

    public string StateDirectory { get; } = stateDirectory;

    public string InflightPathOf(string model) => Path.Combine(StateDirectory, $"inflight-{model}.json");

    /// <summary>Writes the record and returns its remover.</summary>
    public IDisposable Enter(InflightOperation operation)
    {
        var profile = operation.Profile;
        var record = new InflightRecord(operation.Operation, operation.RequestId, profile.Name, profile.Backend, time.GetUtcNow())
        {
            File = ModelFileIdentity.Of(profile.ModelPath),
        };
        var file = _files.GetOrAdd(profile.Name, static (name, self) => MarkerFile.Open(self.InflightPathOf(name), self.StateDirectory), this);
        file.Write(JsonSerializer.SerializeToUtf8Bytes(record, HealthStateJson.Default.InflightRecord));
        return new Removal(file);
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
            if (!_files.Values.Any(held => held.Path == file))
            {
                File.Delete(file);
            }
        }
    }

    // A blank file is a model that was not in native code.
    private static InflightRecord? Read(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, HealthStateJson.Default.InflightRecord);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>One model's record file, held open and overwritten from its start; padded with spaces to its size.</summary>
    private sealed class MarkerFile
    {
        private readonly SafeFileHandle _handle;
        private readonly Lock _lock = new();
        private int _size;

        private MarkerFile(string path, SafeFileHandle handle)
        {
            Path = path;
            _handle = handle;
            _size = (int)Math.Min(int.MaxValue, RandomAccess.GetLength(handle));
        }

        public string Path { get; }

        public static MarkerFile Open(string path, string directory)
        {
            Directory.CreateDirectory(directory);
            return new MarkerFile(path, File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));
        }

        public void Write(byte[] record)
        {
            lock (_lock)
            {
                var size = Math.Max(_size, record.Length);
                var buffer = new byte[size];
                record.CopyTo(buffer, 0);
                buffer.AsSpan(record.Length).Fill((byte)' ');
                RandomAccess.Write(_handle, buffer, 0);
                _size = size;
            }
        }

        public void Blank() => Write([]);
    }

    private sealed class Removal(MarkerFile file) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                file.Blank();
            }
        }
    }
}
