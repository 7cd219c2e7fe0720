using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Rkllm.Native;

/// <summary>RKLLMPerfStat (20 bytes): filled only in the FINISH callback.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
internal struct RkllmPerfStat
{
    [FieldOffset(0)] public float PrefillTimeMs;
    [FieldOffset(4)] public int PrefillTokens;
    [FieldOffset(8)] public float GenerateTimeMs;
    [FieldOffset(12)] public int GenerateTokens;
    [FieldOffset(16)] public float MemoryUsageMb;
}

/// <summary>RKLLMResult, 1.2.1-1.3.0 (72 bytes): text is a fragment owned by the runtime, valid only during the callback.</summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
internal unsafe struct RkllmResult
{
    [FieldOffset(0)] public byte* Text;
    [FieldOffset(8)] public int TokenId;
    [FieldOffset(16)] public nint HiddenStates;
    [FieldOffset(32)] public nint Logits;
    [FieldOffset(48)] public RkllmPerfStat Perf;
}

/// <summary>LLMCallState.</summary>
internal enum RkllmCallState
{
    Normal = 0,
    /// <summary>The text so far ends inside a UTF-8 sequence; the complete character follows.</summary>
    Waiting = 1,
    Finish = 2,
    Error = 3,
}
