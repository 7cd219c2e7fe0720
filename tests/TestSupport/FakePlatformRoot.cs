namespace Engram.TestSupport;

/// <summary>
/// A fake machine for the platform probe: the device-tree, sysfs and procfs files an RK3588 board (or
/// another machine) has, written under a temporary directory that the daemon reads as its root.
/// </summary>
public sealed class FakePlatformRoot : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("engram-root-").FullName;

    public FakePlatformRoot Write(string absolute, string content)
    {
        var file = System.IO.Path.Combine(Path, absolute.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    /// <summary>A Radxa ROCK 5B: RK3588, RKNPU driver <paramref name="driver"/>, governors performance, 8 cores (4 big), cool.</summary>
    public static FakePlatformRoot Rk3588(string driver = "0.9.8", long availableMiB = 15000) =>
        new FakePlatformRoot()
            .Write("/proc/device-tree/compatible", "radxa,rock-5b\0rockchip,rk3588\0")
            .Write("/sys/module/rknpu/version", driver + "\n")
            .Governor("policy0", "performance").Governor("policy4", "performance").Governor("policy6", "performance")
            .Cores(little: [0, 1, 2, 3], big: [4, 5, 6, 7])
            .Memory(availableMiB)
            .Thermal(0, "soc-thermal", 45000).Thermal(1, "bigcore0-thermal", 47000);

    /// <summary>An x86 server: no device tree, no NPU.</summary>
    public static FakePlatformRoot NonRockchip(long availableMiB = 15000) =>
        new FakePlatformRoot().Governor("policy0", "performance").Memory(availableMiB);

    public FakePlatformRoot Governor(string policy, string governor) =>
        Write($"/sys/devices/system/cpu/cpufreq/{policy}/scaling_governor", governor + "\n");

    public FakePlatformRoot Memory(long availableMiB, long totalMiB = 16000) =>
        Write("/proc/meminfo", $"MemTotal:       {totalMiB * 1024} kB\nMemFree:        {availableMiB * 1024 / 2} kB\nMemAvailable:   {availableMiB * 1024} kB\n");

    public FakePlatformRoot Thermal(int zone, string type, long milliCelsius) =>
        Write($"/sys/class/thermal/thermal_zone{zone}/type", type + "\n").Write($"/sys/class/thermal/thermal_zone{zone}/temp", milliCelsius + "\n");

    public FakePlatformRoot Cores(int[] little, int[] big)
    {
        foreach (var cpu in little)
        {
            Write($"/sys/devices/system/cpu/cpu{cpu}/cpufreq/cpuinfo_max_freq", "1800000\n");
        }
        foreach (var cpu in big)
        {
            Write($"/sys/devices/system/cpu/cpu{cpu}/cpufreq/cpuinfo_max_freq", "2400000\n");
        }
        return this;
    }

    public FakePlatformRoot RkllmRuntime() => Write("/usr/lib/librkllmrt.so", "not a real library");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
