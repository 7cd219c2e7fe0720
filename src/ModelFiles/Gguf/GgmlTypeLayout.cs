namespace Engram.ModelFiles.Gguf;

/// <summary>How many elements one block of a type holds and how many bytes it takes (ggml's type traits).</summary>
public readonly record struct GgmlTypeLayout(int BlockSize, int BytesPerBlock)
{
    /// <summary>The layout of <paramref name="type"/>, or null for a type this build does not know.</summary>
    public static GgmlTypeLayout? Of(GgmlType type) => type switch
    {
        GgmlType.F32 => new(1, 4),
        GgmlType.F16 => new(1, 2),
        GgmlType.BF16 => new(1, 2),
        GgmlType.F64 => new(1, 8),
        GgmlType.I8 => new(1, 1),
        GgmlType.I16 => new(1, 2),
        GgmlType.I32 => new(1, 4),
        GgmlType.I64 => new(1, 8),
        GgmlType.Q4_0 => new(32, 18),
        GgmlType.Q4_1 => new(32, 20),
        GgmlType.Q5_0 => new(32, 22),
        GgmlType.Q5_1 => new(32, 24),
        GgmlType.Q8_0 => new(32, 34),
        GgmlType.Q8_1 => new(32, 36),
        GgmlType.Q2_K => new(256, 84),
        GgmlType.Q3_K => new(256, 110),
        GgmlType.Q4_K => new(256, 144),
        GgmlType.Q5_K => new(256, 176),
        GgmlType.Q6_K => new(256, 210),
        GgmlType.Q8_K => new(256, 292),
        GgmlType.IQ2_XXS => new(256, 66),
        GgmlType.IQ2_XS => new(256, 74),
        GgmlType.IQ3_XXS => new(256, 98),
        GgmlType.IQ1_S => new(256, 50),
        GgmlType.IQ4_NL => new(32, 18),
        GgmlType.IQ3_S => new(256, 110),
        GgmlType.IQ2_S => new(256, 82),
        GgmlType.IQ4_XS => new(256, 136),
        GgmlType.IQ1_M => new(256, 56),
        GgmlType.TQ1_0 => new(256, 54),
        GgmlType.TQ2_0 => new(256, 66),
        GgmlType.MXFP4 => new(32, 17),
        _ => null,
    };

    /// <summary>Bytes taken by <paramref name="elements"/> elements; null when they do not fill whole blocks.</summary>
    public ulong? BytesFor(ulong elements) =>
        elements % (ulong)BlockSize == 0 ? elements / (ulong)BlockSize * (ulong)BytesPerBlock : null;
}
