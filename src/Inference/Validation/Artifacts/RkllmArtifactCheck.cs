using System.Text.Json;
using System.Text.RegularExpressions;
using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>
/// An .rkllm model checked without the runtime. The format is closed, so what is knowable is its size and
/// the chip and dtype it was converted for, from a sidecar manifest (<c>MODEL.rkllm.json</c>) or the usual
/// file-name convention (<c>Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm</c>). The runtime's init log confirms
/// both once it loads the file.
/// </summary>
public static partial class RkllmArtifactCheck
{
    /// <summary>Real conversions are hundreds of MB; anything under this is not a model.</summary>
    public const long MinimumPlausibleBytes = 1 << 20;

    /// <summary>The dtypes rkllm-toolkit can build for each chip (SDK 1.3.0 build()).</summary>
    private static readonly Dictionary<string, Regex> DtypesByPlatform = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RK3588"] = new("^W8A8(_G(128|256|512))?$", RegexOptions.IgnoreCase),
        ["RK3576"] = new("^(W4A16(_G(32|64|128))?|W8A8)$", RegexOptions.IgnoreCase),
        ["RV1126B"] = new("^(W4A16(_G(32|64|128))?|W8A8)$", RegexOptions.IgnoreCase),
        ["RK3562"] = new("^(W8A8|W4A16_G(32|64|128)|W4A8_G32)$", RegexOptions.IgnoreCase),
    };

    public static ArtifactReport Inspect(string path, long size, string? socFamily)
    {
        if (size < MinimumPlausibleBytes)
        {
            return ArtifactReport.Failed("truncated", $"{size} bytes is far too small for an .rkllm model (real ones are hundreds of MB)",
                "the download is incomplete or failed: download or convert the model again");
        }
        var (target, dtype, source) = ReadManifest(path) ?? FromFileName(path);
        var facts = new ArtifactFacts { Format = "rkllm", SizeBytes = size, TargetPlatform = target, Dtype = dtype, TargetSource = source };
        var board = socFamily?.ToUpperInvariant();
        if (target is not null && board is not null && !target.Equals(board, StringComparison.OrdinalIgnoreCase))
        {
            return new ArtifactReport(facts, new ModelFailure(FailureClass.Artifact, "wrong_target",
                $"the model was converted for {target} ({source}) but this board is {board}",
                $"convert it with rkllm-toolkit for target_platform='{board.ToLowerInvariant()}' or download the {board} build"));
        }
        if (target is not null && dtype is not null && DtypesByPlatform.TryGetValue(target, out var valid) && !valid.IsMatch(dtype))
        {
            return new ArtifactReport(facts, new ModelFailure(FailureClass.Artifact, "unsupported",
                $"dtype {dtype} ({source}) is not one {target} supports",
                $"convert it for {target} with a supported dtype (RK3588: w8a8, w8a8_g128/g256/g512)"));
        }
        return new ArtifactReport(facts, null);
    }

    /// <summary>Checks what the runtime printed at init against the board: the authoritative word on the file.</summary>
    public static ModelFailure? ConfirmFromRuntime(string? runtimeTarget, string? runtimeDtype, string? socFamily)
    {
        if (runtimeTarget is not null && socFamily is not null && !runtimeTarget.Equals(socFamily, StringComparison.OrdinalIgnoreCase))
        {
            return new ModelFailure(FailureClass.Artifact, "wrong_target",
                $"the runtime reports target_platform {runtimeTarget} but this board is {socFamily.ToUpperInvariant()}",
                $"convert the model for {socFamily} or download the {socFamily.ToUpperInvariant()} build");
        }
        if (runtimeTarget is not null && runtimeDtype is not null && DtypesByPlatform.TryGetValue(runtimeTarget, out var valid) && !valid.IsMatch(runtimeDtype))
        {
            return new ModelFailure(FailureClass.Artifact, "unsupported",
                $"the runtime reports model_dtype {runtimeDtype}, which {runtimeTarget} does not support", "convert the model again");
        }
        return null;
    }

    private static (string?, string?, string?)? ReadManifest(string path)
    {
        var manifest = path + ".json";
        if (FileKind.Of(manifest) != FileKindOf.RegularFile)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            string? Field(string name) => document.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
            return (Field("target_platform")?.ToUpperInvariant(), Field("model_dtype")?.ToUpperInvariant(), $"manifest {Path.GetFileName(manifest)}");
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    private static (string?, string?, string?) FromFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var target = PlatformInName().Match(name);
        var dtype = DtypeInName().Match(name);
        return (target.Success ? target.Value.ToUpperInvariant() : null,
            dtype.Success ? dtype.Value.ToUpperInvariant() : null,
            target.Success || dtype.Success ? "file name" : null);
    }

    [GeneratedRegex(@"(?<![a-z0-9])(rk3588|rk3576|rk3562|rv1126b)(?![a-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex PlatformInName();

    [GeneratedRegex(@"(?<![a-z0-9])(w8a8|w4a16|w4a8)(_g\d+)?(?![a-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex DtypeInName();
}
