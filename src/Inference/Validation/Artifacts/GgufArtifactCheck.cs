using Engram.ModelFiles.Gguf;
using Engram.Inference.Engine;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>A GGUF model checked from its header and tensor table, with no native code.</summary>
public static class GgufArtifactCheck
{
    public static ArtifactReport Inspect(string path, long size)
    {
        var inspection = GgufReader.Inspect(path);
        if (inspection.Problem == GgufProblem.None && LlamaLoadAsserts.Check(inspection) is { } fatal)
        {
            return ArtifactReport.Failed("corrupt", fatal, "the file would crash llama.cpp's loader: convert the model again with a current converter");
        }
        return inspection.Problem switch
        {
            GgufProblem.None => new ArtifactReport(new ArtifactFacts
            {
                Format = $"GGUF v{inspection.Version}",
                SizeBytes = size,
                Architecture = inspection.Architecture,
                KvElementsPerToken = KvElementsPerToken(inspection, out var headSize),
                HeadSize = headSize,
            }, null),
            GgufProblem.TruncatedData => ArtifactReport.Failed("truncated", inspection.Detail,
                $"the download is incomplete ({inspection.MissingBytes / 1048576.0:0.0} MiB missing): download the file again"),
            GgufProblem.TruncatedHeader => ArtifactReport.Failed(size == 0 ? "empty" : "truncated", inspection.Detail,
                "the file is cut short: download it again"),
            GgufProblem.BadMagic => ArtifactReport.Failed("corrupt", inspection.Detail,
                "this is not a GGUF model: point the profile at a .gguf file (or use the rkllm backend for .rkllm files)"),
            GgufProblem.UnsupportedVersion or GgufProblem.UnknownArchitecture => ArtifactReport.Failed("unsupported", inspection.Detail,
                "use a GGUF v2/v3 model of an architecture this llama.cpp (815a2a59) supports"),
            _ => ArtifactReport.Failed("corrupt", inspection.Detail, "the file is damaged: download or convert it again"),
        };
    }

    // K (or V) for every layer: layers * kv_heads * head_size elements per token; the cache type sets the bytes.
    private static long KvElementsPerToken(GgufInspection inspection, out long headSize)
    {
        var arch = inspection.Architecture;
        long Get(string key) => inspection.Metadata.GetValueOrDefault($"{arch}.{key}") switch
        {
            uint u => u,
            int i => i,
            ulong l => (long)l,
            _ => 0,
        };
        var layers = Get("block_count");
        var embedding = Get("embedding_length");
        var heads = Get("attention.head_count");
        var kvHeads = Get("attention.head_count_kv") is > 0 and var kv ? kv : heads;
        headSize = Get("attention.key_length") is > 0 and var keyLength ? keyLength : heads > 0 ? embedding / heads : 0;
        return layers * kvHeads * headSize;
    }
}
