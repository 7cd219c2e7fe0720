using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Platform;

/// <summary>Every thermal zone's temperature; the RK3588 throttles from about 85 °C.</summary>
public sealed class ThermalCheck : IPlatformCheck
{
    public const string CheckName = "thermal";
    public const double WarnCelsius = 85;

    public string Name => CheckName;
    public bool NpuOnly => false;

    public PlatformCheck Run(PlatformRoot root)
    {
        var zones = Read(root);
        if (zones.Count == 0)
        {
            return PlatformCheck.Pass(Name, "no thermal zones");
        }
        var value = string.Join(", ", zones.Select(z => $"{z.Type}={z.Celsius:0.0}C"));
        return zones.Max(z => z.Celsius) >= WarnCelsius
            ? PlatformCheck.Warn(Name, value, "improve cooling (heatsink and fan): the SoC throttles and tok/s drops")
            : PlatformCheck.Pass(Name, value);
    }

    public static IReadOnlyList<(string Type, double Celsius)> Read(PlatformRoot root) =>
        root.Directories("/sys/class/thermal", "thermal_zone")
            .Select(z => (Type: root.ReadText($"/sys/class/thermal/{z}/type")?.Trim() ?? z, Raw: root.ReadText($"/sys/class/thermal/{z}/temp")))
            .Where(z => long.TryParse(z.Raw?.Trim(), out _))
            .Select(z => (z.Type, long.Parse(z.Raw!.Trim()) / 1000.0))
            .ToArray();
}
