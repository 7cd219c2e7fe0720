namespace Engram.Inference.Health;

/// <summary>The state directory is held by another daemon (its process id, when known).</summary>
public sealed class StateDirectoryInUseException(string directory, string? holder)
    : Exception($"the state directory {directory} is in use by another engram-daemon{(holder is { Length: > 0 } pid ? $" (pid {pid})" : "")}; " +
        "give this one its own with --Engram:state_dir=DIR")
{
    public string Directory { get; } = directory;
}

/// <summary>
/// One daemon per state directory: held for the daemon's lifetime (an advisory lock the kernel releases when the
/// process dies, however it dies), so a second daemon cannot read the first one's in-flight record as a crash,
/// count a restart, or rewrite its last crash.
/// </summary>
public sealed class StateDirectoryLock : IDisposable
{
    public const string FileName = "daemon.lock";
    private const string PidFile = "daemon.pid";
    private readonly FileStream _lock;

    private StateDirectoryLock(FileStream lockFile) => _lock = lockFile;

    public static StateDirectoryLock Acquire(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: another process's open fails while this one lives.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // Beside the lock (which other processes cannot open) for the message a second daemon prints.
            File.WriteAllText(Path.Combine(directory, PidFile), Environment.ProcessId + "\n");
            return new StateDirectoryLock(file);
        }
        catch (IOException)
        {
            throw new StateDirectoryInUseException(directory, ReadHolder(Path.Combine(directory, PidFile)));
        }
    }

    private static string? ReadHolder(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _lock.Dispose();
}
