using System.Diagnostics;
using System.Security.Cryptography;
using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>Verifies a model against its sidecar <c>MODEL.sha256</c> (sha256sum format: "HEX  NAME").</summary>
public static class ChecksumCheck
{
    public static string SidecarOf(string modelPath) => modelPath + ".sha256";

    /// <summary>Null when there is no sidecar; otherwise how long verification took, or the mismatch.</summary>
    public static (TimeSpan Elapsed, ModelFailure? Failure)? Verify(string modelPath)
    {
        var sidecar = SidecarOf(modelPath);
        switch (FileKind.Of(sidecar))
        {
            case FileKindOf.Missing:
                return null;
            case not FileKindOf.RegularFile:
                return (TimeSpan.Zero, new ModelFailure(FailureClass.Artifact, "checksum_unreadable",
                    $"{Path.GetFileName(sidecar)} is not a regular file", $"replace it with the output of: sha256sum {Path.GetFileName(modelPath)}"));
        }
        var expected = File.ReadAllText(sidecar).Trim().Split([' ', '\t', '*'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (expected.Length != 64 || !expected.All(Uri.IsHexDigit))
        {
            return (TimeSpan.Zero, new ModelFailure(FailureClass.Artifact, "checksum_unreadable",
                $"{Path.GetFileName(sidecar)} does not hold a SHA-256 in sha256sum format", $"regenerate it: sha256sum {Path.GetFileName(modelPath)} > {Path.GetFileName(sidecar)}"));
        }
        var started = Stopwatch.StartNew();
        using var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        return actual.Equals(expected, StringComparison.OrdinalIgnoreCase)
            ? (started.Elapsed, null)
            : (started.Elapsed, new ModelFailure(FailureClass.Artifact, "checksum_mismatch",
                $"SHA-256 is {actual} but {Path.GetFileName(sidecar)} says {expected.ToLowerInvariant()}",
                "the file is corrupt or not the one published: download it again"));
    }
}
