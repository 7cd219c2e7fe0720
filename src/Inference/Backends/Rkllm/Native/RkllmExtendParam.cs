using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Rkllm.Native;

/// <summary>RKLLMExtendParam, 1.2.1-1.3.0 (120 bytes, align 4). C <c>bool</c>/<c>int8_t</c> are bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 120)]
internal unsafe struct RkllmExtendParam
{
    [FieldOffset(0)] public int BaseDomainId;
    [FieldOffset(4)] public sbyte EmbedFlash;
    [FieldOffset(5)] public sbyte EnabledCpusNum;
    [FieldOffset(8)] public uint EnabledCpusMask;
    [FieldOffset(12)] public byte NBatch;
    [FieldOffset(13)] public sbyte UseCrossAttn;
    [FieldOffset(14)] public fixed byte Reserved[104];
}
