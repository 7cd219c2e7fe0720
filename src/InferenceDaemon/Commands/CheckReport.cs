using System.Text.Json.Serialization;
using Engram.Inference.Engine;
using Engram.Inference.Validation.Platform;

namespace Engram.InferenceDaemon.Commands;

/// <summary>What <c>engram-daemon check --json</c> prints: the platform's checks, each model's verdict, the exit code.</summary>
internal sealed record CheckReport(CheckReport.PlatformSection Platform, IReadOnlyList<ModelCheckReport> Models, int ExitCode)
{
    public static CheckReport Of(PlatformReport platform, IEnumerable<ModelCheckReport> models, int exitCode) =>
        new(new PlatformSection(platform.Root, platform.Checks.Select(c =>
            new PlatformCheckReport(c.Name, c.Status.ToString().ToLowerInvariant(), c.Value, c.Remedy)).ToArray()), models.ToArray(), exitCode);

    internal sealed record PlatformSection(string Root, IReadOnlyList<PlatformCheckReport> Checks);
}

internal sealed record PlatformCheckReport(string Name, string Status, string Value, string Remedy);

internal sealed record ModelCheckReport(string Name, string Backend, string Path, bool Ok, string? FailureClass, string? FailureKind,
    string? Detail, string? Remedy, ArtifactFacts? Artifact, long EstimatedBytes, string? KvCache, double? LoadMs);

/// <summary>The report's JSON, compiled ahead of time (the daemon ships as a native AOT binary): snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(CheckReport))]
internal sealed partial class CheckReportJson : JsonSerializerContext;
