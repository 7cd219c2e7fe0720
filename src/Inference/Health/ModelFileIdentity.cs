namespace Engram.Inference.Health;

/// <summary>Which model file this is: its path, size and modification time. A changed file is a different file.</summary>
public sealed record ModelFileIdentity(string Path, long SizeBytes, DateTimeOffset Modified)
{
    /// <summary>The file as it is now, or null when it cannot be read.</summary>
    public static ModelFileIdentity? Of(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists ? new ModelFileIdentity(file.FullName, file.Length, file.LastWriteTimeUtc) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
