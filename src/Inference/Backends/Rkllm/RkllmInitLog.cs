using System.Text.RegularExpressions;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>What the runtime printed at init, parsed: its version, the driver, and the model's own facts and errors.</summary>
public sealed partial record RkllmInitLog(
    string? RuntimeVersion,
    string? DriverVersion,
    string? Platform,
    string? ToolkitVersion,
    int? MaxContextLimit,
    string? TargetPlatform,
    string? ModelDtype,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings)
{
    public static RkllmInitLog Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var version = VersionLine().Match(output);
        var toolkit = ToolkitLine().Match(output);
        return new RkllmInitLog(
            version.Success ? version.Groups["runtime"].Value : null,
            version.Success ? version.Groups["driver"].Value : null,
            version.Success ? version.Groups["platform"].Value : null,
            toolkit.Success ? toolkit.Groups["toolkit"].Value : null,
            toolkit.Success ? int.Parse(toolkit.Groups["limit"].Value) : null,
            toolkit.Success ? toolkit.Groups["target"].Value : null,
            toolkit.Success && toolkit.Groups["dtype"].Success ? toolkit.Groups["dtype"].Value : null,
            lines.Where(l => l.StartsWith("E ", StringComparison.Ordinal) || l.Contains("rknn_init fail", StringComparison.Ordinal)).ToArray(),
            lines.Where(l => l.StartsWith("W ", StringComparison.Ordinal)).ToArray());
    }

    [GeneratedRegex(@"rkllm-runtime version: (?<runtime>[^,\s]+), rknpu driver version: (?<driver>[^,\s]+), platform: (?<platform>\S+)")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"rkllm-toolkit version: (?<toolkit>[^,\s]+), max_context_limit: (?<limit>\d+), npu_core_num: \d+, target_platform: (?<target>[^,\s]+)(, model_dtype: (?<dtype>\S+))?")]
    private static partial Regex ToolkitLine();
}
