using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Rkllm.Native.V1_2;

/// <summary>RKLLMParam for runtime 1.2.0-1.2.3 (208 bytes, align 8).</summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
internal unsafe struct RkllmParam
{
    [FieldOffset(0)] public byte* ModelPath;
    [FieldOffset(8)] public int MaxContextLen;
    [FieldOffset(12)] public int MaxNewTokens;
    [FieldOffset(16)] public int TopK;
    [FieldOffset(20)] public int NKeep;
    [FieldOffset(24)] public float TopP;
    [FieldOffset(28)] public float Temperature;
    [FieldOffset(32)] public float RepeatPenalty;
    [FieldOffset(36)] public float FrequencyPenalty;
    [FieldOffset(40)] public float PresencePenalty;
    [FieldOffset(44)] public int Mirostat;
    [FieldOffset(48)] public float MirostatTau;
    [FieldOffset(52)] public float MirostatEta;
    [FieldOffset(56)] public byte SkipSpecialToken;
    [FieldOffset(57)] public byte IsAsync;
    [FieldOffset(64)] public byte* ImgStart;
    [FieldOffset(72)] public byte* ImgEnd;
    [FieldOffset(80)] public byte* ImgContent;
    [FieldOffset(88)] public RkllmExtendParam ExtendParam;
}

/// <summary>RKLLMInput for 1.2.1-1.2.3 (64 bytes): role and enable_thinking come first, the union at 16.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct RkllmInput
{
    [FieldOffset(0)] public byte* Role;
    [FieldOffset(8)] public byte EnableThinking;
    [FieldOffset(12)] public int InputType;
    [FieldOffset(16)] public byte* PromptInput;
}

/// <summary>RKLLMInferParam for 1.2.x (32 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal unsafe struct RkllmInferParam
{
    [FieldOffset(0)] public int Mode;
    [FieldOffset(8)] public nint LoraParams;
    [FieldOffset(16)] public nint PromptCacheParams;
    [FieldOffset(24)] public int KeepHistory;
}
