using System.Buffers.Binary;

namespace Engram.ModelFiles.Gguf;

/// <summary>Encodes one tensor row of floats into a ggml type, the way ggml's reference quantizers do.</summary>
public static class TensorRowEncoder
{
    /// <summary>The types <see cref="Encode"/> can write.</summary>
    public static bool CanEncode(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0 or GgmlType.Q4_0;

    public static int EncodedSize(GgmlType type, int elements)
    {
        var layout = GgmlTypeLayout.Of(type) ?? throw new ArgumentException($"Unknown ggml type {type}.", nameof(type));
        if (elements % layout.BlockSize != 0)
        {
            throw new ArgumentException($"{type} needs rows that are a multiple of {layout.BlockSize} elements; got {elements}.");
        }
        return elements / layout.BlockSize * layout.BytesPerBlock;
    }

    public static void Encode(ReadOnlySpan<float> row, GgmlType type, Span<byte> destination)
    {
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < row.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], row[i]);
                }
                break;
            case GgmlType.F16:
                for (var i = 0; i < row.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(destination[(i * 2)..], (Half)row[i]);
                }
                break;
            case GgmlType.Q8_0:
                for (var b = 0; b < row.Length / 32; b++)
                {
                    EncodeQ8_0Block(row.Slice(b * 32, 32), destination.Slice(b * 34, 34));
                }
                break;
            case GgmlType.Q4_0:
                for (var b = 0; b < row.Length / 32; b++)
                {
                    EncodeQ4_0Block(row.Slice(b * 32, 32), destination.Slice(b * 18, 18));
                }
                break;
            default:
                throw new NotSupportedException($"Writing {type} tensors is not supported; use F32, F16, Q8_0 or Q4_0.");
        }
    }

    // Block of 32: fp16 scale d, then 32 signed bytes q with value = q * d.
    private static void EncodeQ8_0Block(ReadOnlySpan<float> x, Span<byte> block)
    {
        var amax = 0f;
        foreach (var v in x)
        {
            amax = MathF.Max(amax, MathF.Abs(v));
        }
        var d = amax / 127f;
        var id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        for (var i = 0; i < 32; i++)
        {
            block[2 + i] = unchecked((byte)(sbyte)MathF.Round(x[i] * id));
        }
    }

    // Block of 32: fp16 scale d, then 16 bytes holding element j in the low nibble and j+16 in the high one;
    // value = (q - 8) * d, with d chosen from the element of largest magnitude (sign kept), as ggml does.
    private static void EncodeQ4_0Block(ReadOnlySpan<float> x, Span<byte> block)
    {
        float amax = 0f, max = 0f;
        foreach (var v in x)
        {
            if (MathF.Abs(v) > amax)
            {
                amax = MathF.Abs(v);
                max = v;
            }
        }
        var d = max / -8f;
        var id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        for (var j = 0; j < 16; j++)
        {
            var lo = (byte)Math.Min(15, (int)(x[j] * id + 8.5f));
            var hi = (byte)Math.Min(15, (int)(x[j + 16] * id + 8.5f));
            block[2 + j] = (byte)(lo | (hi << 4));
        }
    }
}
