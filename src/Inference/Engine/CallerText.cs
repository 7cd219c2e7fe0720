namespace Engram.Inference.Engine;

/// <summary>
/// Caller input quoted in error details and log lines: never whole when long, so a megabyte model name or
/// request id is not echoed back or written to the journal.
/// </summary>
public static class CallerText
{
    public const int MaxQuoted = 100;

    /// <summary><c>'abc'</c>, or <c>'abc…' (1048576 characters)</c> when longer than <paramref name="max"/>.</summary>
    public static string Quote(string? text, int max = MaxQuoted)
    {
        text ??= "";
        return text.Length <= max ? $"'{text}'" : $"'{text[..max]}…' ({text.Length} characters)";
    }
}
