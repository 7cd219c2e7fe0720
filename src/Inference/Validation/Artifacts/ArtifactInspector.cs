using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>Checks a model file for its backend before any native code touches it: existence, size, format, checksum.</summary>
public static class ArtifactInspector
{
    public static ArtifactReport Inspect(string path, string backend, bool verifyChecksum, string? socFamily)
    {
        // Nothing is opened before the path is known to be a regular file: a FIFO would block the open forever.
        switch (FileKind.Of(path))
        {
            case FileKindOf.Directory:
                return ArtifactReport.Failed("missing", $"{path} is a directory, not a model file", "point the profile's model at the model file itself");
            case FileKindOf.Missing:
                return ArtifactReport.Failed("missing", $"model file {path} does not exist", "check the profile's model path, or download the model again");
            case FileKindOf.Other or FileKindOf.Socket:
                return ArtifactReport.Failed("not_a_file", $"{path} is not a regular file (a FIFO, socket or device)",
                    "point the profile's model at the model file itself (a symlink to a regular file is fine)");
        }
        long size;
        try
        {
            size = new FileInfo(path).Length;
            using var probe = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return ArtifactReport.Failed("unreadable", $"{path} cannot be read: {ex.Message}",
                "give the daemon's user read access (e.g. chmod a+r, or group engram)");
        }
        if (size == 0)
        {
            return ArtifactReport.Failed("empty", $"{path} is empty (0 bytes): a failed or interrupted download", "download the model again");
        }

        var report = backend == BackendNames.Rkllm ? RkllmArtifactCheck.Inspect(path, size, socFamily) : GgufArtifactCheck.Inspect(path, size);
        if (!report.IsValid || !verifyChecksum)
        {
            return report;
        }
        var checksum = ChecksumCheck.Verify(path);
        return checksum switch
        {
            null => report,
            { Failure: { } failure } => report with { Failure = failure },
            { Elapsed: var elapsed } => report with { Facts = report.Facts! with { ChecksumVerifiedIn = elapsed } },
        };
    }
}
