using Engram.Inference.Engine;
using System.Buffers.Binary;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Artifacts;
using Engram.TestSupport;

namespace Engram.Inference.Tests.Validation;

/// <summary>Bad model files, made by the tests, each classified exactly before any native code runs.</summary>
public sealed class ArtifactInspectorTests : IDisposable
{
    private readonly ModelArtifacts _files = new();

    public void Dispose() => _files.Dispose();

    private static ArtifactReport Gguf(string path, bool verifyChecksum = true) => ArtifactInspector.Inspect(path, "llama", verifyChecksum, socFamily: null);

    public static TheoryData<string, string, string> BadGgufFiles => new()
    {
        // name, expected kind, words the detail must contain
        { "missing", "missing", "does not exist" },
        { "zero-bytes", "empty", "0 bytes" },
        { "cut-in-header", "truncated", "inside the header" },
        { "cut-in-metadata", "truncated", "inside the metadata" },
        { "cut-in-tensor-table", "truncated", "inside the tensor table" },
        { "cut-in-data", "truncated", "bytes (" },
        { "wrong-magic", "corrupt", "not a GGUF file" },
        { "absurd-tensor-count", "corrupt", "claims" },
        { "absurd-string-length", "corrupt", "claims" },
        { "offset-past-end", "truncated", "missing" },
        { "unknown-architecture", "unsupported", "architecture" },
        { "directory", "missing", "is a directory" },
        { "fifo", "not_a_file", "not a regular file" },
    };

    private string Make(string name)
    {
        var good = ModelArtifacts.Inspect(_files.Good("reference.gguf"));
        return name switch
        {
            "missing" => _files.PathOf("nothing-here.gguf"),
            "fifo" => Fifo(_files.PathOf("fifo.gguf")),
            "zero-bytes" => _files.Bytes(name, []),
            "cut-in-header" => _files.Truncated(name, 20),
            "cut-in-metadata" => _files.Truncated(name, 400),
            "cut-in-tensor-table" => _files.Truncated(name, good.DataOffset - 100),
            "cut-in-data" => _files.Truncated(name, -5000),
            "wrong-magic" => _files.Patched(name, b => "<htm"u8.CopyTo(b)),
            "absurd-tensor-count" => _files.Patched(name, b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), 1UL << 40)),
            // The first metadata key's length prefix sits right after the 24-byte header.
            "absurd-string-length" => _files.Patched(name, b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(24), 1UL << 40)),
            "offset-past-end" => _files.Patched(name, b =>
            {
                var last = good.Tensors[^1];
                var nameBytes = System.Text.Encoding.UTF8.GetBytes(last.Name);
                var at = b.AsSpan(0, (int)good.DataOffset).LastIndexOf(nameBytes) + nameBytes.Length + 4 + 8 * last.Dimensions.Count + 4;
                BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), last.Offset + (64UL << 20));
            }),
            "unknown-architecture" => _files.Patched(name, b => "zzzzz"u8.CopyTo(b.AsSpan(b.AsSpan().IndexOf("llama"u8)))),
            "directory" => System.IO.Directory.CreateDirectory(_files.PathOf("a-directory")).FullName,
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(BadGgufFiles))]
    public void Inspect_BadGguf_IsAnArtifactFailureOfTheRightKind(string name, string kind, string detail)
    {
        var report = Gguf(Make(name));

        Assert.NotNull(report.Failure);
        Assert.Equal(FailureClass.Artifact, report.Failure.Class);
        Assert.True(kind == report.Failure.Kind, $"{name}: expected {kind}, got {report.Failure}");
        Assert.Contains(detail, report.Failure.Detail);
        Assert.False(string.IsNullOrWhiteSpace(report.Failure.Remedy));
    }

    [Fact]
    public void Inspect_TruncatedDownload_SaysExactlyHowMuchIsMissing()
    {
        var report = Gguf(_files.Truncated("partial.gguf", -123456));

        Assert.Contains("123456 bytes", report.Failure!.Detail);
    }

    [Fact]
    public void Inspect_GoodGguf_ReportsItsFacts()
    {
        var report = Gguf(_files.Good());

        Assert.True(report.IsValid);
        Assert.Equal("GGUF v3", report.Facts!.Format);
        Assert.Equal("llama", report.Facts.Architecture);
        Assert.Equal(16, report.Facts.HeadSize); // the tiny shape: 64 wide, 4 heads
        Assert.Equal(2 * 4 * 16, report.Facts.KvElementsPerToken); // 2 layers of 4 KV heads
        Assert.Null(report.Facts.ChecksumVerifiedIn);
    }

    [Fact]
    public void Inspect_ChecksumSidecarMatching_IsVerifiedAndTimed()
    {
        var report = Gguf(_files.WithChecksum(_files.Good(), correct: true));

        Assert.True(report.IsValid);
        Assert.NotNull(report.Facts!.ChecksumVerifiedIn);
    }

    [Fact]
    public void Inspect_ChecksumMismatch_IsAnArtifactFailure()
    {
        var report = Gguf(_files.WithChecksum(_files.Good(), correct: false));

        Assert.Equal("checksum_mismatch", report.Failure!.Kind);
        Assert.Contains("SHA-256 is", report.Failure.Detail);
    }

    [Fact]
    public void Inspect_ChecksumMismatchNotRequested_IsNotChecked()
    {
        Assert.True(Gguf(_files.WithChecksum(_files.Good(), correct: false), verifyChecksum: false).IsValid);
    }

    [Fact]
    public void Inspect_RkllmConvertedForRk3576_OnAnRk3588_IsTheWrongTarget()
    {
        var path = _files.Rkllm("Qwen2.5-1.5B-Instruct_W4A16_RK3576.rkllm");

        var report = ArtifactInspector.Inspect(path, "rkllm", true, socFamily: "rk3588");

        Assert.Equal("wrong_target", report.Failure!.Kind);
        Assert.Contains("converted for RK3576 (file name) but this board is RK3588", report.Failure.Detail);
    }

    [Fact]
    public void Inspect_RkllmManifest_OverridesTheFileName()
    {
        var path = _files.Rkllm("model.rkllm", manifestTarget: "rk3576", manifestDtype: "w4a16");

        var report = ArtifactInspector.Inspect(path, "rkllm", true, socFamily: "rk3588");

        Assert.Equal("wrong_target", report.Failure!.Kind);
        Assert.Contains("manifest model.rkllm.json", report.Failure.Detail);
    }

    [Fact]
    public void Inspect_RkllmWithADtypeItsChipCannotRun_IsUnsupported()
    {
        var report = ArtifactInspector.Inspect(_files.Rkllm("m_W4A16_RK3588.rkllm"), "rkllm", true, "rk3588");

        Assert.Equal("unsupported", report.Failure!.Kind);
    }

    [Fact]
    public void Inspect_RkllmForThisBoard_PassesWithTargetAndDtype()
    {
        var report = ArtifactInspector.Inspect(_files.Rkllm("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm"), "rkllm", true, "rk3588");

        Assert.True(report.IsValid, report.Failure?.ToString());
        Assert.Equal("RK3588", report.Facts!.TargetPlatform);
        Assert.Equal("W8A8", report.Facts.Dtype);
    }

    [Fact]
    public void Inspect_TinyRkllm_IsNotPlausible()
    {
        var report = ArtifactInspector.Inspect(_files.Rkllm("x_W8A8_RK3588.rkllm", sizeBytes: 4096), "rkllm", true, "rk3588");

        Assert.Equal("truncated", report.Failure!.Kind);
    }

    // A FIFO blocks whoever opens it until a writer comes: the inspector must never open one.
    private static string Fifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!;
        mkfifo.WaitForExit();
        return path;
    }
}
