using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>
/// The file tree the platform probe reads (device tree, sysfs, procfs): <c>/</c> on a board, a fake tree in
/// tests. Reads never throw: an unreadable or missing file is simply absent.
/// </summary>
public sealed class PlatformRoot(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Resolve(string absolute) => System.IO.Path.Combine(Path, absolute.TrimStart('/'));

    public string? ReadText(string absolute)
    {
        try
        {
            var file = Resolve(absolute);
            return File.Exists(file) ? File.ReadAllText(file) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public bool Exists(string absolute) => File.Exists(Resolve(absolute)) || Directory.Exists(Resolve(absolute));

    /// <summary>Directories under <paramref name="absolute"/> whose names start with <paramref name="prefix"/>, sorted naturally.</summary>
    public IReadOnlyList<string> Directories(string absolute, string prefix)
    {
        var directory = Resolve(absolute);
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return Directory.EnumerateDirectories(directory, prefix + "*")
            .Select(d => System.IO.Path.GetFileName(d)!)
            .OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal)
            .ToArray();
    }
}
