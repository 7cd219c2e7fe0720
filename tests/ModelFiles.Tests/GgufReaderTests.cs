using System.Buffers.Binary;
using System.Diagnostics;
using Engram.ModelFiles.Gguf;

namespace Engram.ModelFiles.Tests;

public sealed class GgufReaderTests
{
    private static GgufInspection Inspect(byte[] bytes) => GgufReader.Inspect(new MemoryStream(bytes));

    [Fact]
    public void Inspect_WrittenModel_ReadsBackItsFacts()
    {
        var inspection = TinyModelBytes.InspectValid();

        Assert.True(inspection.IsValid, inspection.Detail);
        Assert.Equal(3u, inspection.Version);
        Assert.Equal("llama", inspection.Architecture);
        Assert.Equal(64u, inspection.Metadata["llama.embedding_length"]);
        Assert.Equal(512ul, ((GgufArraySummary)inspection.Metadata["tokenizer.ggml.tokens"]).Count);
        Assert.Equal(2 + 2 * 9 + 1, inspection.Tensors.Count);
        var embedding = inspection.Tensors.Single(t => t.Name == "token_embd.weight");
        Assert.Equal([64ul, 512ul], embedding.Dimensions);
        Assert.Equal(GgmlType.Q8_0, embedding.Type);
        Assert.Equal(64 / 32 * 34 * 512ul, embedding.ByteSize);
        Assert.Equal(inspection.FileLength, inspection.ExpectedLength);
    }

    [Fact]
    public void Inspect_EmptyFile_IsTruncatedHeader()
    {
        var inspection = Inspect([]);

        Assert.Equal(GgufProblem.TruncatedHeader, inspection.Problem);
        Assert.Contains("0 bytes", inspection.Detail);
    }

    [Fact]
    public void Inspect_WrongMagic_SaysWhatItStartsWith()
    {
        var bytes = TinyModelBytes.Valid();
        "RKLL"u8.CopyTo(bytes);

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.BadMagic, inspection.Problem);
        Assert.Contains("'RKLL'", inspection.Detail);
    }

    [Fact]
    public void Inspect_UnsupportedVersion_IsNamed()
    {
        var bytes = TinyModelBytes.Valid();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 7);

        Assert.Equal(GgufProblem.UnsupportedVersion, Inspect(bytes).Problem);
    }

    [Theory]
    [InlineData(8, "tensors")]
    [InlineData(16, "metadata entries")]
    public void Inspect_AbsurdCount_IsCorrupt(int offset, string what)
    {
        var bytes = TinyModelBytes.Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), ulong.MaxValue / 3);

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.Corrupt, inspection.Problem);
        Assert.Contains(what, inspection.Detail);
    }

    [Fact]
    public void Inspect_CutInsideTheMetadata_IsTruncatedHeader()
    {
        var bytes = TinyModelBytes.Valid()[..200];

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.TruncatedHeader, inspection.Problem);
        Assert.Contains("inside the metadata", inspection.Detail);
    }

    [Fact]
    public void Inspect_CutInsideTheTensorTable_IsTruncatedHeader()
    {
        var valid = TinyModelBytes.InspectValid();
        var bytes = TinyModelBytes.Valid()[..(int)(valid.DataOffset - 40)];

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.TruncatedHeader, inspection.Problem);
        Assert.Contains("inside the tensor table", inspection.Detail);
    }

    [Fact]
    public void Inspect_CutInsideTheData_SaysExactlyHowManyBytesAreMissing()
    {
        var full = TinyModelBytes.Valid();
        var bytes = full[..(full.Length - 12345)];

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.TruncatedData, inspection.Problem);
        Assert.Equal(12345, inspection.MissingBytes);
        Assert.Contains("12345 bytes", inspection.Detail);
    }

    [Fact]
    public void Inspect_TensorOffsetPastTheEnd_IsTruncatedData()
    {
        var valid = TinyModelBytes.InspectValid();
        var bytes = TinyModelBytes.Valid();
        // The last tensor's offset field is the 8 bytes before the padding that precedes the data.
        var last = valid.Tensors[^1];
        var offsetField = FindOffsetField(bytes, valid, last);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offsetField), last.Offset + (1 << 20));

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.TruncatedData, inspection.Problem);
        Assert.Equal(1 << 20, inspection.MissingBytes);
    }

    [Fact]
    public void Inspect_UnknownArchitecture_IsReported()
    {
        var bytes = TinyModelBytes.Valid();
        var index = bytes.AsSpan().IndexOf("llama"u8);
        "zzzzz"u8.CopyTo(bytes.AsSpan(index));

        var inspection = Inspect(bytes);

        Assert.Equal(GgufProblem.UnknownArchitecture, inspection.Problem);
        Assert.Contains("'zzzzz'", inspection.Detail);
    }

    [Fact]
    public void Inspect_ThousandsOfRandomMutations_NeverThrowsNorHangs()
    {
        var valid = TinyModelBytes.Valid();
        var headerLength = (int)TinyModelBytes.InspectValid().DataOffset;
        var random = new Random(20261128);
        var clock = Stopwatch.StartNew();
        var problems = new Dictionary<GgufProblem, int>();

        for (var i = 0; i < 4000; i++)
        {
            var bytes = (byte[])valid.Clone();
            var mutations = random.Next(1, 8);
            for (var m = 0; m < mutations; m++)
            {
                // Mostly the header, where structure lives; sometimes anywhere, sometimes a cut.
                if (bytes.Length < 16)
                {
                    break;
                }
                var position = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(headerLength, bytes.Length));
                switch (random.Next(4))
                {
                    case 0: bytes[position] = (byte)random.Next(256); break;
                    case 1: bytes[position] ^= (byte)(1 << random.Next(8)); break;
                    case 2: BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(Math.Min(position, bytes.Length - 8)), (ulong)random.NextInt64()); break;
                    case 3: bytes = bytes[..position]; break;
                }
            }
            var started = clock.Elapsed;
            var inspection = Inspect(bytes);
            Assert.True(clock.Elapsed - started < TimeSpan.FromSeconds(2), $"mutation {i} took {clock.Elapsed - started}");
            Assert.True(inspection.IsValid || inspection.Detail.Length > 0, $"mutation {i}: a problem without a detail");
            problems[inspection.Problem] = problems.GetValueOrDefault(inspection.Problem) + 1;
        }

        // The mutations reach the interesting paths, not only the magic check.
        Assert.True(problems.GetValueOrDefault(GgufProblem.Corrupt) > 100, string.Join(", ", problems));
        Assert.True(problems.GetValueOrDefault(GgufProblem.TruncatedHeader) > 100, string.Join(", ", problems));
    }

    private static int FindOffsetField(byte[] bytes, GgufInspection inspection, GgufTensorInfo tensor)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(tensor.Name);
        var nameAt = bytes.AsSpan(0, (int)inspection.DataOffset).LastIndexOf(name);
        return nameAt + name.Length + 4 + 8 * tensor.Dimensions.Count + 4;
    }
}
