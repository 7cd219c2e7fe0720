using System.Text;

namespace Engram.ModelFiles.Gguf;

/// <summary>Fills one row (ne0 elements) of a tensor being written.</summary>
public delegate void TensorRowFill(long row, Span<float> values);

/// <summary>
/// Writes GGUF v3 files: metadata, tensor infos, then tensor data streamed row by row, so a model of any
/// size is written with little memory.
/// </summary>
public sealed class GgufWriter
{
    public const uint FormatVersion = 3;
    public const uint DefaultAlignment = 32;

    private readonly List<(string Key, GgufMetadataType Type, object Value)> _metadata = [];
    private readonly List<TensorToWrite> _tensors = [];

    private sealed record TensorToWrite(string Name, ulong[] Dimensions, GgmlType Type, TensorRowFill Fill)
    {
        public long RowLength => (long)Dimensions[0];
        public long Rows => Dimensions.Skip(1).Aggregate(1L, (a, d) => a * (long)d);
        public long ByteSize => Rows * TensorRowEncoder.EncodedSize(Type, (int)RowLength);
    }

    public GgufWriter Add(string key, string value) => AddMetadata(key, GgufMetadataType.String, value);
    public GgufWriter Add(string key, uint value) => AddMetadata(key, GgufMetadataType.UInt32, value);
    public GgufWriter Add(string key, int value) => AddMetadata(key, GgufMetadataType.Int32, value);
    public GgufWriter Add(string key, float value) => AddMetadata(key, GgufMetadataType.Float32, value);
    public GgufWriter Add(string key, bool value) => AddMetadata(key, GgufMetadataType.Bool, value);
    public GgufWriter Add(string key, IReadOnlyList<string> values) => AddMetadata(key, GgufMetadataType.Array, values);
    public GgufWriter Add(string key, IReadOnlyList<float> values) => AddMetadata(key, GgufMetadataType.Array, values);
    public GgufWriter Add(string key, IReadOnlyList<int> values) => AddMetadata(key, GgufMetadataType.Array, values);

    /// <summary>Adds a tensor; <paramref name="dimensions"/> are in ggml order (ne0, the row length, first).</summary>
    public GgufWriter AddTensor(string name, ulong[] dimensions, GgmlType type, TensorRowFill fill)
    {
        if (dimensions.Length is < 1 or > 4)
        {
            throw new ArgumentException($"Tensor '{name}' has {dimensions.Length} dimensions; GGUF allows 1 to 4.");
        }
        var tensor = new TensorToWrite(name, dimensions, type, fill);
        _ = tensor.ByteSize; // validates that rows fill whole blocks
        _tensors.Add(tensor);
        return this;
    }

    private GgufWriter AddMetadata(string key, GgufMetadataType type, object value)
    {
        _metadata.Add((key, type, value));
        return this;
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it, so no reader ever sees half a model.</summary>
    public void WriteFile(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteTo(stream);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public void WriteTo(Stream stream)
    {
        using var output = new BufferedStream(stream, 1 << 20);
        var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write("GGUF"u8);
        writer.Write(FormatVersion);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)type);
            WriteValue(writer, type, value);
        }

        var alignment = AlignmentFromMetadata();
        ulong offset = 0;
        foreach (var tensor in _tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Dimensions.Length);
            foreach (var d in tensor.Dimensions)
            {
                writer.Write(d);
            }
            writer.Write((uint)tensor.Type);
            writer.Write(offset);
            offset = Align(offset + (ulong)tensor.ByteSize, alignment);
        }
        writer.Flush();
        Pad(output, alignment);

        foreach (var tensor in _tensors)
        {
            WriteTensorData(output, tensor);
            Pad(output, alignment);
        }
        output.Flush();
    }

    private uint AlignmentFromMetadata() =>
        _metadata.Where(m => m.Key == "general.alignment" && m.Type == GgufMetadataType.UInt32)
            .Select(m => (uint)m.Value).DefaultIfEmpty(DefaultAlignment).First();

    private static void WriteTensorData(Stream output, TensorToWrite tensor)
    {
        var rowLength = (int)tensor.RowLength;
        var values = new float[rowLength];
        var encoded = new byte[TensorRowEncoder.EncodedSize(tensor.Type, rowLength)];
        for (long row = 0; row < tensor.Rows; row++)
        {
            Array.Clear(values);
            tensor.Fill(row, values);
            TensorRowEncoder.Encode(values, tensor.Type, encoded);
            output.Write(encoded);
        }
    }

    private static void Pad(Stream output, uint alignment)
    {
        var position = (ulong)output.Position;
        var padding = (int)(Align(position, alignment) - position);
        for (var i = 0; i < padding; i++)
        {
            output.WriteByte(0);
        }
    }

    private static ulong Align(ulong value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufMetadataType type, object value)
    {
        switch (value)
        {
            case string s: WriteString(writer, s); break;
            case uint u: writer.Write(u); break;
            case int i: writer.Write(i); break;
            case float f: writer.Write(f); break;
            case bool b: writer.Write((byte)(b ? 1 : 0)); break;
            case IReadOnlyList<string> strings:
                writer.Write((uint)GgufMetadataType.String);
                writer.Write((ulong)strings.Count);
                foreach (var s in strings) WriteString(writer, s);
                break;
            case IReadOnlyList<float> floats:
                writer.Write((uint)GgufMetadataType.Float32);
                writer.Write((ulong)floats.Count);
                foreach (var f in floats) writer.Write(f);
                break;
            case IReadOnlyList<int> ints:
                writer.Write((uint)GgufMetadataType.Int32);
                writer.Write((ulong)ints.Count);
                foreach (var i in ints) writer.Write(i);
                break;
            default:
                throw new NotSupportedException($"Metadata value of type {type} ({value.GetType().Name}) cannot be written.");
        }
    }
}
