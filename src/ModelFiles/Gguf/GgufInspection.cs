namespace Engram.ModelFiles.Gguf;

/// <summary>One tensor's entry in a GGUF tensor table.</summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<ulong> Dimensions, GgmlType Type, ulong Offset, ulong ByteSize);

/// <summary>The result of reading a GGUF file's header and tensor table: its facts, or exactly what is wrong.</summary>
public sealed record GgufInspection
{
    public GgufProblem Problem { get; init; }
    /// <summary>What is wrong, in words an operator can act on; empty when nothing is.</summary>
    public string Detail { get; init; } = "";
    public long FileLength { get; init; }
    public uint Version { get; init; }
    public string? Architecture { get; init; }
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, object> Metadata { get; init; } = new Dictionary<string, object>();
    public IReadOnlyList<GgufTensorInfo> Tensors { get; init; } = [];
    /// <summary>Where tensor data starts (after the header, aligned).</summary>
    public long DataOffset { get; init; }
    /// <summary>The file length the tensor table implies; more than <see cref="FileLength"/> when truncated.</summary>
    public long ExpectedLength { get; init; }
    public long MissingBytes => Math.Max(0, ExpectedLength - FileLength);

    public bool IsValid => Problem == GgufProblem.None;
}
