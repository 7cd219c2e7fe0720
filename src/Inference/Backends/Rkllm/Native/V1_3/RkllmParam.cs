using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Rkllm.Native.V1_3;

/// <summary>RKLLMParam for runtime 1.3.0 (184 bytes, align 8): no image tags, ignore_eos_token added.</summary>
[StructLayout(LayoutKind.Explicit, Size = 184)]
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
    [FieldOffset(57)] public byte IgnoreEosToken;
    [FieldOffset(58)] public byte IsAsync;
    [FieldOffset(60)] public RkllmExtendParam ExtendParam;
}

/// <summary>RKLLMInput for 1.3.0 (160 bytes; the union holds the 144-byte multimodal input).</summary>
[StructLayout(LayoutKind.Explicit, Size = 160)]
internal unsafe struct RkllmInput
{
    [FieldOffset(0)] public byte* Role;
    [FieldOffset(8)] public byte EnableThinking;
    [FieldOffset(12)] public int InputType;
    [FieldOffset(16)] public byte* PromptInput;
}

/// <summary>RKLLMInferParam for 1.3.0 (40 bytes): per-run sampling and max_new_tokens.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal unsafe struct RkllmInferParam
{
    [FieldOffset(0)] public int Mode;
    [FieldOffset(8)] public nint LoraParams;
    [FieldOffset(16)] public nint PromptCacheParams;
    [FieldOffset(24)] public nint SamplingParams;
    [FieldOffset(32)] public int KeepHistory;
    [FieldOffset(36)] public int MaxNewTokens;
}

/// <summary>RKLLMCallback (48 bytes): 1.3.0 passes this struct to rkllm_init instead of a bare function pointer.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal struct RkllmCallback
{
    [FieldOffset(0)] public nint ResultCallback;
    [FieldOffset(8)] public nint ResultUserdata;
    [FieldOffset(16)] public nint TokenizerCallback;
    [FieldOffset(24)] public nint TokenizerUserdata;
    [FieldOffset(32)] public nint EmbedCallback;
    [FieldOffset(40)] public nint EmbedUserdata;
}

/// <summary>RKLLMSamplingParam (1.3.0, 36 bytes): per-run sampling that overrides the init values.</summary>
[StructLayout(LayoutKind.Explicit, Size = 36)]
internal struct RkllmSamplingParam
{
    [FieldOffset(0)] public int TopK;
    [FieldOffset(4)] public float TopP;
    [FieldOffset(8)] public float Temperature;
    [FieldOffset(12)] public float RepeatPenalty;
    [FieldOffset(16)] public float FrequencyPenalty;
    [FieldOffset(20)] public float PresencePenalty;
    [FieldOffset(24)] public int Mirostat;
    [FieldOffset(28)] public float MirostatTau;
    [FieldOffset(32)] public float MirostatEta;
}
