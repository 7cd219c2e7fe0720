namespace Engram.InferenceDaemon.Hosting;

/// <summary>Octal permission strings (<c>0660</c>) as .NET's <see cref="UnixFileMode"/>.</summary>
public static class UnixSocketModes
{
    public static bool TryParse(string? text, out UnixFileMode mode)
    {
        mode = default;
        if (string.IsNullOrEmpty(text) || text.Length > 4 || !text.All(c => c is >= '0' and <= '7'))
        {
            return false;
        }
        mode = (UnixFileMode)Convert.ToInt32(text, 8);
        return true;
    }
}
