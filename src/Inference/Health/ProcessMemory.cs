namespace Engram.Inference.Health;

/// <summary>This process's resident memory as the kernel counts it (VmRSS in /proc/self/status).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return Environment.WorkingSet; // not Linux, or no /proc
    }
}
