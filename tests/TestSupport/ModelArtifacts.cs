using System.Security.Cryptography;
using Engram.ModelFiles.Gguf;
using Engram.ModelFiles.Synthetic;

namespace Engram.TestSupport;

/// <summary>Model files for validation tests: a good tiny GGUF and the ways real downloads go wrong.</summary>
public sealed class ModelArtifacts : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("engram-artifacts-").FullName;

    public string PathOf(string name) => System.IO.Path.Combine(Directory, name);

    public string Good(string name = "good.gguf")
    {
        var path = PathOf(name);
        new SyntheticModelBuilder(ModelShape.Tiny, new SyntheticVocabulary(ModelShape.Tiny.VocabularySize))
            .Build(RandomWeights.Create(3)).WriteFile(path);
        return path;
    }

    public string Bytes(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The good model cut to <paramref name="length"/> bytes (negative: that many bytes short).</summary>
    public string Truncated(string name, long length)
    {
        var full = File.ReadAllBytes(Good("source-" + name));
        return Bytes(name, full[..(int)(length < 0 ? full.Length + length : length)]);
    }

    /// <summary>The good model with <paramref name="patch"/> applied to its bytes.</summary>
    public string Patched(string name, Action<byte[]> patch)
    {
        var bytes = File.ReadAllBytes(Good("source-" + name));
        patch(bytes);
        return Bytes(name, bytes);
    }

    public static GgufInspection Inspect(string path) => GgufReader.Inspect(path);

    /// <summary>Writes MODEL.sha256 beside the model, for its real hash or a wrong one.</summary>
    public string WithChecksum(string modelPath, bool correct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(modelPath)));
        if (!correct)
        {
            hash = new string(hash.Reverse().ToArray());
        }
        File.WriteAllText(modelPath + ".sha256", $"{hash}  {System.IO.Path.GetFileName(modelPath)}\n");
        return modelPath;
    }

    /// <summary>A sparse .rkllm file of <paramref name="sizeBytes"/> (the format is closed; size and name are what can be checked).</summary>
    public string Rkllm(string name, long sizeBytes = 8 << 20, string? manifestTarget = null, string? manifestDtype = null)
    {
        var path = PathOf(name);
        using (var stream = File.Create(path))
        {
            stream.SetLength(sizeBytes);
        }
        if (manifestTarget is not null)
        {
            File.WriteAllText(path + ".json", $$"""{"target_platform":"{{manifestTarget}}","model_dtype":"{{manifestDtype}}"}""");
        }
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
