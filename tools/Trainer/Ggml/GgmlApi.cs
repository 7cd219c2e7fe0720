using System.Runtime.InteropServices;

namespace Engram.Trainer.Ggml;

/// <summary>struct ggml_init_params: passed by value to ggml_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GgmlInitParams
{
    public nuint MemSize;
    public nint MemBuffer;
    public byte NoAlloc;
}

/// <summary>
/// struct ggml_opt_params of this ggml build, received from ggml_opt_default_params into an oversized blob
/// (the real struct is smaller; the tail stays zero) and patched at the x64 offsets verified for 815a2a59.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct GgmlOptParams
{
    [FieldOffset(0)] public nint BackendSched;
    [FieldOffset(8)] public nint CtxCompute;
    [FieldOffset(16)] public nint Inputs;
    [FieldOffset(24)] public nint Outputs;
    [FieldOffset(32)] public int LossType;
    [FieldOffset(36)] public int BuildType;
    [FieldOffset(40)] public int OptPeriod;
    [FieldOffset(48)] public nint GetOptPars;
    [FieldOffset(56)] public nint GetOptParsUserdata;
}

/// <summary>The optimizer parameters of this build: 7 floats, AdamW {alpha, beta1, beta2, eps, wd} then SGD {alpha, wd}.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GgmlOptimizerParams
{
    public float AdamAlpha, AdamBeta1, AdamBeta2, AdamEps, AdamWeightDecay, SgdAlpha, SgdWeightDecay;
}

/// <summary>The ggml entry points training needs, bound as function pointers to the libraries LLamaSharp loaded.</summary>
internal sealed unsafe class GgmlApi
{
    public const int TypeF32 = 0, TypeI32 = 26;
    public const int LossCrossEntropy = 2;

    public GgmlApi()
    {
        var (ggmlBase, ggmlCpu) = GgmlLibraries.Resolve();
        nint B(string name) => NativeLibrary.GetExport(ggmlBase, name);
        nint C(string name) => NativeLibrary.GetExport(ggmlCpu, name);
        Init = (delegate* unmanaged<GgmlInitParams, nint>)B("ggml_init");
        Free = (delegate* unmanaged<nint, void>)B("ggml_free");
        NewTensor1d = (delegate* unmanaged<nint, int, long, nint>)B("ggml_new_tensor_1d");
        NewTensor2d = (delegate* unmanaged<nint, int, long, long, nint>)B("ggml_new_tensor_2d");
        SetParam = (delegate* unmanaged<nint, void>)B("ggml_set_param");
        SetInput = (delegate* unmanaged<nint, void>)B("ggml_set_input");
        GetRows = (delegate* unmanaged<nint, nint, nint, nint>)B("ggml_get_rows");
        RmsNorm = (delegate* unmanaged<nint, nint, float, nint>)B("ggml_rms_norm");
        Mul = (delegate* unmanaged<nint, nint, nint, nint>)B("ggml_mul");
        Add = (delegate* unmanaged<nint, nint, nint, nint>)B("ggml_add");
        MulMat = (delegate* unmanaged<nint, nint, nint, nint>)B("ggml_mul_mat");
        Reshape2d = (delegate* unmanaged<nint, nint, long, long, nint>)B("ggml_reshape_2d");
        Reshape4d = (delegate* unmanaged<nint, nint, long, long, long, long, nint>)B("ggml_reshape_4d");
        Permute = (delegate* unmanaged<nint, nint, int, int, int, int, nint>)B("ggml_permute");
        Cont = (delegate* unmanaged<nint, nint, nint>)B("ggml_cont");
        RopeExt = (delegate* unmanaged<nint, nint, nint, nint, int, int, int, float, float, float, float, float, float, nint>)B("ggml_rope_ext");
        SoftMaxExt = (delegate* unmanaged<nint, nint, nint, float, float, nint>)B("ggml_soft_max_ext");
        DiagMaskInf = (delegate* unmanaged<nint, nint, int, nint>)B("ggml_diag_mask_inf");
        Silu = (delegate* unmanaged<nint, nint, nint>)B("ggml_silu");
        GetData = (delegate* unmanaged<nint, nint>)B("ggml_get_data");
        Nbytes = (delegate* unmanaged<nint, nuint>)B("ggml_nbytes");
        AllocCtxTensors = (delegate* unmanaged<nint, nint, nint>)B("ggml_backend_alloc_ctx_tensors");
        TensorSet = (delegate* unmanaged<nint, void*, nuint, nuint, void>)B("ggml_backend_tensor_set");
        TensorGet = (delegate* unmanaged<nint, void*, nuint, nuint, void>)B("ggml_backend_tensor_get");
        SchedNew = (delegate* unmanaged<nint*, nint*, int, nuint, byte, byte, nint>)B("ggml_backend_sched_new");
        CpuInit = (delegate* unmanaged<nint>)C("ggml_backend_cpu_init");
        CpuSetThreads = (delegate* unmanaged<nint, int, void>)C("ggml_backend_cpu_set_n_threads");
        OptDefaultParams = (delegate* unmanaged<nint, int, GgmlOptParams>)B("ggml_opt_default_params");
        OptInit = (delegate* unmanaged<GgmlOptParams, nint>)B("ggml_opt_init");
        OptFree = (delegate* unmanaged<nint, void>)B("ggml_opt_free");
        OptAlloc = (delegate* unmanaged<nint, byte, void>)B("ggml_opt_alloc");
        OptEval = (delegate* unmanaged<nint, nint, void>)B("ggml_opt_eval");
        OptLabels = (delegate* unmanaged<nint, nint>)B("ggml_opt_labels");
        OptResultInit = (delegate* unmanaged<nint>)B("ggml_opt_result_init");
        OptResultFree = (delegate* unmanaged<nint, void>)B("ggml_opt_result_free");
        OptResultReset = (delegate* unmanaged<nint, void>)B("ggml_opt_result_reset");
        OptResultLoss = (delegate* unmanaged<nint, double*, double*, void>)B("ggml_opt_result_loss");
        OptResultAccuracy = (delegate* unmanaged<nint, double*, double*, void>)B("ggml_opt_result_accuracy");
        ConstantOptimizerParams = B("ggml_opt_get_constant_optimizer_params");
    }

    public readonly delegate* unmanaged<GgmlInitParams, nint> Init;
    public readonly delegate* unmanaged<nint, void> Free;
    public readonly delegate* unmanaged<nint, int, long, nint> NewTensor1d;
    public readonly delegate* unmanaged<nint, int, long, long, nint> NewTensor2d;
    public readonly delegate* unmanaged<nint, void> SetParam;
    public readonly delegate* unmanaged<nint, void> SetInput;
    public readonly delegate* unmanaged<nint, nint, nint, nint> GetRows;
    public readonly delegate* unmanaged<nint, nint, float, nint> RmsNorm;
    public readonly delegate* unmanaged<nint, nint, nint, nint> Mul;
    public readonly delegate* unmanaged<nint, nint, nint, nint> Add;
    public readonly delegate* unmanaged<nint, nint, nint, nint> MulMat;
    public readonly delegate* unmanaged<nint, nint, long, long, nint> Reshape2d;
    public readonly delegate* unmanaged<nint, nint, long, long, long, long, nint> Reshape4d;
    public readonly delegate* unmanaged<nint, nint, int, int, int, int, nint> Permute;
    public readonly delegate* unmanaged<nint, nint, nint> Cont;
    public readonly delegate* unmanaged<nint, nint, nint, nint, int, int, int, float, float, float, float, float, float, nint> RopeExt;
    public readonly delegate* unmanaged<nint, nint, nint, float, float, nint> SoftMaxExt;
    public readonly delegate* unmanaged<nint, nint, int, nint> DiagMaskInf;
    public readonly delegate* unmanaged<nint, nint, nint> Silu;
    public readonly delegate* unmanaged<nint, nint> GetData;
    public readonly delegate* unmanaged<nint, nuint> Nbytes;
    public readonly delegate* unmanaged<nint, nint, nint> AllocCtxTensors;
    public readonly delegate* unmanaged<nint, void*, nuint, nuint, void> TensorSet;
    public readonly delegate* unmanaged<nint, void*, nuint, nuint, void> TensorGet;
    public readonly delegate* unmanaged<nint*, nint*, int, nuint, byte, byte, nint> SchedNew;
    public readonly delegate* unmanaged<nint> CpuInit;
    public readonly delegate* unmanaged<nint, int, void> CpuSetThreads;
    public readonly delegate* unmanaged<nint, int, GgmlOptParams> OptDefaultParams;
    public readonly delegate* unmanaged<GgmlOptParams, nint> OptInit;
    public readonly delegate* unmanaged<nint, void> OptFree;
    public readonly delegate* unmanaged<nint, byte, void> OptAlloc;
    public readonly delegate* unmanaged<nint, nint, void> OptEval;
    public readonly delegate* unmanaged<nint, nint> OptLabels;
    public readonly delegate* unmanaged<nint> OptResultInit;
    public readonly delegate* unmanaged<nint, void> OptResultFree;
    public readonly delegate* unmanaged<nint, void> OptResultReset;
    public readonly delegate* unmanaged<nint, double*, double*, void> OptResultLoss;
    public readonly delegate* unmanaged<nint, double*, double*, void> OptResultAccuracy;
    public readonly nint ConstantOptimizerParams;
}
