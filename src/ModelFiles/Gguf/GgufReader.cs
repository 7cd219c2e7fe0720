using System.Buffers.Binary;
using System.Text;

namespace Engram.ModelFiles.Gguf;

/// <summary>
/// Reads a GGUF file's header, metadata and tensor table (never the tensor data) and says exactly what is
/// wrong with it, with no native code. Every count, length and offset is checked against sane bounds and
/// the file's length before it is used, so a corrupt or hostile file cannot make it allocate, loop or throw.
/// </summary>
public static class GgufReader
{
    public const ulong MaxTensors = 1 << 20;
    public const ulong MaxMetadataEntries = 1 << 20;
    public const ulong MaxStringBytes = 64 << 20;
    public const ulong MaxArrayElements = 1 << 28;
    public const uint MaxAlignment = 1 << 20;
    private const ulong MaxElementsPerTensor = 1UL << 50;

    public static GgufInspection Inspect(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Inspect(stream);
    }

    public static GgufInspection Inspect(Stream stream)
    {
        var length = stream.Length;
        var reader = new Cursor(stream, length);
        var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
        var tensors = new List<GgufTensorInfo>();
        uint version = 0;
        try
        {
            reader.Section = "header";
            if (length < 4)
            {
                throw new GgufFormatException(GgufProblem.TruncatedHeader, $"the file is {length} bytes, shorter than any model header");
            }
            var magic = reader.Bytes(4);
            if (!magic.SequenceEqual("GGUF"u8.ToArray()))
            {
                throw new GgufFormatException(GgufProblem.BadMagic,
                    $"not a GGUF file: it starts with {Convert.ToHexString(magic)} ('{Printable(magic)}') instead of 'GGUF'");
            }
            version = reader.UInt32();
            if (version is not (2 or 3))
            {
                throw new GgufFormatException(GgufProblem.UnsupportedVersion, $"GGUF version {version} is not supported (2 and 3 are)");
            }
            var tensorCount = reader.UInt64();
            var metadataCount = reader.UInt64();
            if (tensorCount > MaxTensors)
            {
                throw Corrupt($"the header claims {tensorCount} tensors (at most {MaxTensors} are plausible)");
            }
            if (metadataCount > MaxMetadataEntries)
            {
                throw Corrupt($"the header claims {metadataCount} metadata entries (at most {MaxMetadataEntries} are plausible)");
            }

            reader.Section = "metadata";
            for (ulong i = 0; i < metadataCount; i++)
            {
                var key = reader.String();
                var type = (GgufMetadataType)reader.UInt32();
                metadata[key] = ReadValue(reader, type, key);
            }

            var alignment = metadata.TryGetValue("general.alignment", out var a) && a is uint u ? u : GgufWriter.DefaultAlignment;
            if (alignment == 0 || alignment > MaxAlignment || (alignment & (alignment - 1)) != 0)
            {
                throw Corrupt($"general.alignment {alignment} is not a power of two up to {MaxAlignment}");
            }

            reader.Section = "tensor table";
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (ulong i = 0; i < tensorCount; i++)
            {
                tensors.Add(ReadTensorInfo(reader, alignment, names));
            }

            var dataOffset = (long)Align((ulong)reader.Position, alignment);
            var expected = tensors.Count == 0 ? dataOffset : tensors.Max(t => dataOffset + (long)(t.Offset + t.ByteSize));
            var architecture = metadata.GetValueOrDefault("general.architecture") as string;
            var inspection = new GgufInspection
            {
                FileLength = length,
                Version = version,
                Architecture = architecture,
                Name = metadata.GetValueOrDefault("general.name") as string,
                Metadata = metadata,
                Tensors = tensors,
                DataOffset = dataOffset,
                ExpectedLength = expected,
            };
            if (expected > length)
            {
                var last = tensors.First(t => dataOffset + (long)(t.Offset + t.ByteSize) > length);
                return inspection with
                {
                    Problem = GgufProblem.TruncatedData,
                    Detail = $"truncated: the tensors need {expected} bytes but the file has {length}; {expected - length} bytes " +
                        $"({(expected - length) / 1048576.0:0.0} MiB) are missing, from tensor '{last.Name}' on",
                };
            }
            if (architecture is null)
            {
                return inspection with { Problem = GgufProblem.Corrupt, Detail = "general.architecture is missing" };
            }
            if (!GgufArchitectures.Known.Contains(architecture))
            {
                return inspection with
                {
                    Problem = GgufProblem.UnknownArchitecture,
                    Detail = $"architecture '{architecture}' is not one this llama.cpp build loads",
                };
            }
            return inspection;
        }
        catch (GgufFormatException ex)
        {
            return new GgufInspection { Problem = ex.Problem, Detail = ex.Message, FileLength = length, Version = version, Metadata = metadata, Tensors = tensors };
        }
    }

    private static GgufTensorInfo ReadTensorInfo(Cursor reader, uint alignment, HashSet<string> names)
    {
        var name = reader.String();
        if (!names.Add(name))
        {
            throw Corrupt($"tensor '{Shorten(name)}' appears twice");
        }
        var dimensionCount = reader.UInt32();
        if (dimensionCount is 0 or > 4)
        {
            throw Corrupt($"tensor '{Shorten(name)}' has {dimensionCount} dimensions (1 to 4 are valid)");
        }
        var dimensions = new ulong[dimensionCount];
        ulong elements = 1;
        for (var d = 0; d < dimensionCount; d++)
        {
            dimensions[d] = reader.UInt64();
            if (dimensions[d] == 0 || dimensions[d] > MaxElementsPerTensor || elements > MaxElementsPerTensor / dimensions[d])
            {
                throw Corrupt($"tensor '{Shorten(name)}' has an impossible shape [{string.Join(", ", dimensions.Take(d + 1))}]");
            }
            elements *= dimensions[d];
        }
        var typeValue = reader.UInt32();
        var type = (GgmlType)typeValue;
        var layout = GgmlTypeLayout.Of(type) ?? throw Corrupt($"tensor '{Shorten(name)}' has unknown element type {typeValue}");
        if (dimensions[0] % (ulong)layout.BlockSize != 0)
        {
            throw Corrupt($"tensor '{Shorten(name)}' rows of {dimensions[0]} do not fill {type} blocks of {layout.BlockSize}");
        }
        var offset = reader.UInt64();
        if (offset % alignment != 0 || offset > MaxElementsPerTensor)
        {
            throw Corrupt($"tensor '{Shorten(name)}' data offset {offset} is not aligned to {alignment} or is impossible");
        }
        return new GgufTensorInfo(name, dimensions, type, offset, layout.BytesFor(elements)!.Value);
    }

    private static object ReadValue(Cursor reader, GgufMetadataType type, string key) => type switch
    {
        GgufMetadataType.UInt8 => reader.Bytes(1)[0],
        GgufMetadataType.Int8 => (sbyte)reader.Bytes(1)[0],
        GgufMetadataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(reader.Bytes(2)),
        GgufMetadataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(reader.Bytes(2)),
        GgufMetadataType.UInt32 => reader.UInt32(),
        GgufMetadataType.Int32 => (int)reader.UInt32(),
        GgufMetadataType.Float32 => BitConverter.UInt32BitsToSingle(reader.UInt32()),
        GgufMetadataType.Bool => reader.Bytes(1)[0] != 0,
        GgufMetadataType.String => reader.String(),
        GgufMetadataType.UInt64 => reader.UInt64(),
        GgufMetadataType.Int64 => (long)reader.UInt64(),
        GgufMetadataType.Float64 => BitConverter.UInt64BitsToDouble(reader.UInt64()),
        GgufMetadataType.Array => ReadArray(reader, key),
        _ => throw Corrupt($"metadata '{Shorten(key)}' has unknown value type {(uint)type}"),
    };

    // Arrays are skipped, not kept: only their element type and count matter here (tokenizer vocabularies are large).
    private static GgufArraySummary ReadArray(Cursor reader, string key)
    {
        var elementType = (GgufMetadataType)reader.UInt32();
        var count = reader.UInt64();
        if (count > MaxArrayElements)
        {
            throw Corrupt($"metadata '{Shorten(key)}' claims {count} elements (at most {MaxArrayElements} are plausible)");
        }
        var fixedSize = elementType switch
        {
            GgufMetadataType.UInt8 or GgufMetadataType.Int8 or GgufMetadataType.Bool => 1,
            GgufMetadataType.UInt16 or GgufMetadataType.Int16 => 2,
            GgufMetadataType.UInt32 or GgufMetadataType.Int32 or GgufMetadataType.Float32 => 4,
            GgufMetadataType.UInt64 or GgufMetadataType.Int64 or GgufMetadataType.Float64 => 8,
            GgufMetadataType.String => 0,
            _ => throw Corrupt($"metadata '{Shorten(key)}' is an array of unsupported type {(uint)elementType}"),
        };
        if (fixedSize > 0)
        {
            reader.Skip(count * (ulong)fixedSize);
        }
        else if (key == VocabularyKey)
        {
            return new GgufArraySummary(elementType, count) { FirstDuplicate = ReadVocabulary(reader, count) };
        }
        else
        {
            for (ulong i = 0; i < count; i++)
            {
                reader.Skip(reader.UInt64Length());
            }
        }
        return new GgufArraySummary(elementType, count);
    }

    /// <summary>The vocabulary's token texts, which llama.cpp indexes by text: a text twice aborts its loader.</summary>
    public const string VocabularyKey = "tokenizer.ggml.tokens";

    // Reads the token texts only to find the first one that repeats, as llama.cpp will see it (an empty token
    // becomes "[EMPTY_i]" there). The texts are not kept.
    private static GgufDuplicateToken? ReadVocabulary(Cursor reader, ulong count)
    {
        var seen = new Dictionary<string, ulong>(StringComparer.Ordinal);
        GgufDuplicateToken? duplicate = null;
        for (ulong i = 0; i < count; i++)
        {
            var text = reader.String();
            if (text.Length == 0)
            {
                text = $"[EMPTY_{i}]";
            }
            if (duplicate is null && !seen.TryAdd(text, i))
            {
                duplicate = new GgufDuplicateToken(text, seen[text], i);
            }
        }
        return duplicate;
    }

    private static GgufFormatException Corrupt(string message) => new(GgufProblem.Corrupt, message);

    private static ulong Align(ulong value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static string Printable(byte[] bytes) => new(bytes.Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.').ToArray());

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>Reads forward through the file, refusing any read that would pass its end.</summary>
    private sealed class Cursor(Stream stream, long length)
    {
        private readonly BinaryReader _reader = new(stream, Encoding.UTF8, leaveOpen: true);

        public string Section { get; set; } = "header";
        public long Position { get; private set; }

        private void Need(ulong bytes)
        {
            if (bytes > (ulong)(length - Position))
            {
                throw new GgufFormatException(GgufProblem.TruncatedHeader,
                    $"truncated: the file ends inside the {Section} (a read of {bytes} bytes at byte {Position} of {length})");
            }
        }

        public byte[] Bytes(int count)
        {
            Need((ulong)count);
            var bytes = _reader.ReadBytes(count);
            Position += count;
            return bytes;
        }

        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

        /// <summary>A string's length prefix, checked against the plausible maximum.</summary>
        public ulong UInt64Length()
        {
            var bytes = UInt64();
            if (bytes > MaxStringBytes)
            {
                throw Corrupt($"a string in the {Section} claims {bytes} bytes (at most {MaxStringBytes} are plausible)");
            }
            return bytes;
        }

        public string String()
        {
            var bytes = UInt64Length();
            return Encoding.UTF8.GetString(Bytes((int)bytes));
        }

        public void Skip(ulong bytes)
        {
            Need(bytes);
            stream.Seek((long)bytes, SeekOrigin.Current);
            Position += (long)bytes;
        }
    }
}

/// <summary>An array in GGUF metadata, summarised (its values are not kept).</summary>
public sealed record GgufArraySummary(GgufMetadataType ElementType, ulong Count)
{
    /// <summary>For the vocabulary (<see cref="GgufReader.VocabularyKey"/>): the first token text that appears twice.</summary>
    public GgufDuplicateToken? FirstDuplicate { get; init; }
}

/// <summary>A token text at two places in a vocabulary.</summary>
public sealed record GgufDuplicateToken(string Text, ulong FirstIndex, ulong SecondIndex);
