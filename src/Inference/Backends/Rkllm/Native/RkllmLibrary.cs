using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Rkllm.Native;

/// <summary>
/// librkllmrt.so loaded from a configured path, its entry points bound as unmanaged function pointers.
/// The path is per profile (and tests load two ABI versions side by side), so this does not use
/// [LibraryImport]'s process-wide resolution.
/// </summary>
internal sealed unsafe class RkllmLibrary : IDisposable
{
    private readonly nint _library;

    public RkllmLibrary(string path, RkllmAbi abi)
    {
        Path = path;
        Abi = abi;
        _library = NativeLibrary.Load(path);
        Init = (delegate* unmanaged<nint*, void*, nint, int>)Export("rkllm_init");
        Destroy = (delegate* unmanaged<nint, int>)Export("rkllm_destroy");
        Run = (delegate* unmanaged<nint, void*, void*, nint, int>)Export("rkllm_run");
        Abort = (delegate* unmanaged<nint, int>)Export("rkllm_abort");
        IsRunning = (delegate* unmanaged<nint, int>)Export("rkllm_is_running");
        ClearKvCache = (delegate* unmanaged<nint, int, int*, int*, int>)Export("rkllm_clear_kv_cache");
        _createDefaultParam = Export("rkllm_createDefaultParam");
    }

    public string Path { get; }
    public RkllmAbi Abi { get; }

    private readonly nint _createDefaultParam;

    /// <summary>rkllm_init(handle*, param*, callback): the third argument is a function pointer in 1.2.x and an RKLLMCallback* in 1.3.0.</summary>
    public delegate* unmanaged<nint*, void*, nint, int> Init { get; }
    public delegate* unmanaged<nint, int> Destroy { get; }
    /// <summary>rkllm_run(handle, RKLLMInput*, RKLLMInferParam*, userdata): blocks until the run ends.</summary>
    public delegate* unmanaged<nint, void*, void*, nint, int> Run { get; }
    /// <summary>Thread-safe; takes effect at the runtime's next step, which may be a while.</summary>
    public delegate* unmanaged<nint, int> Abort { get; }
    public delegate* unmanaged<nint, int> IsRunning { get; }
    public delegate* unmanaged<nint, int, int*, int*, int> ClearKvCache { get; }

    public V1_2.RkllmParam CreateDefaultParamV12() => ((delegate* unmanaged<V1_2.RkllmParam>)_createDefaultParam)();

    public V1_3.RkllmParam CreateDefaultParamV13() => ((delegate* unmanaged<V1_3.RkllmParam>)_createDefaultParam)();

    /// <summary>An export by name; throws with the library's path when it is missing (not an RKLLM runtime, or too old).</summary>
    public nint Export(string name) => NativeLibrary.TryGetExport(_library, name, out var address)
        ? address
        : throw new EntryPointNotFoundException($"{Path} does not export {name}: not an RKLLM runtime of a supported version");

    public void Dispose() => NativeLibrary.Free(_library);
}
