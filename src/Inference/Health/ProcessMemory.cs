namespace Engram.Inference.Health;

/// <summary>
/// A process's resident memory now (VmRSS) and at its peak (VmHWM), as the kernel counts them, and the part of it
/// that is the process's own (RssAnon and RssShmem: its heaps, buffers and JIT code). The rest is file pages (a
/// mapped model, code) that the page cache shares with other readers and can reclaim.
/// </summary>
public sealed record ProcessMemoryReading(long ResidentBytes, long PeakResidentBytes, long OwnBytes);

/// <summary>Reads /proc/PID/status: the daemon's own memory for Health, a child daemon's for engram-bench.</summary>
public static class ProcessMemory
{
    public static long ResidentBytes() => Read(null).ResidentBytes;

    /// <param name="processId">The process to read, or null for this one.</param>
    public static ProcessMemoryReading Read(int? processId)
    {
        long resident = 0, peak = 0, own = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "self"}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    resident = Kilobytes(line) * 1024;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line) * 1024;
                }
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal) || line.StartsWith("RssShmem:", StringComparison.Ordinal))
                {
                    own += Kilobytes(line) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux, or the process is gone: this process's working set is the best left to say.
            resident = processId is null ? Environment.WorkingSet : 0;
        }
        return new ProcessMemoryReading(resident, Math.Max(peak, resident), own);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
