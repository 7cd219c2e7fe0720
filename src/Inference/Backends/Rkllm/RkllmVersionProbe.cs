using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// Finds a runtime's version without risking this process and without invalid calls: a child (the host program
/// run again as <c>PROGRAM rkllm-probe LIB [MODEL]</c>; engram-daemon has that verb) asks the runtime for its own
/// default parameters (<c>rkllm_createDefaultParam</c>, read into a buffer larger than every known layout),
/// points them at a model file that does not exist, and calls <c>rkllm_init</c>: a well-formed call, which the
/// runtime answers with its version line before it fails to open the file. A runtime that prints nothing then is
/// asked again with the real model, still in the child (the version printed at the first real load). If the
/// child crashes or prints no version, the version stays unknown and the caller refuses to guess.
/// </summary>
public static class RkllmVersionProbe
{
    public const string Verb = "rkllm-probe";
    private const string NoSuchModel = "/nonexistent/engram-version-probe.rkllm";

    public static async Task<(string? Version, string Output)> DetectAsync(string library, string model, CancellationToken cancellationToken)
    {
        var (version, output) = await ProbeAsync(library, NoSuchModel, cancellationToken);
        if (version is null && File.Exists(model))
        {
            var (atLoad, loadOutput) = await ProbeAsync(library, model, cancellationToken);
            return (atLoad, output + loadOutput);
        }
        return (version, output);
    }

    private static async Task<(string? Version, string Output)> ProbeAsync(string library, string model, CancellationToken cancellationToken)
    {
        var info = HostProgram.StartInfo(Verb, library, model);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var child = Process.Start(info)!;
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(model == NoSuchModel ? 15 : 300));
        try
        {
            await child.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return (null, "the version probe did not finish in time");
        }
        var output = await stdout + await stderr;
        return (RkllmInitLog.Parse(output).RuntimeVersion, output);
    }

    /// <summary>
    /// The child's side: unbuffered stdio (nothing lost if the runtime crashes), the runtime's own defaults with
    /// the given model path, a callback that is never reached at init, and one rkllm_init.
    /// </summary>
    public static unsafe int RunInChild(string library, string model)
    {
        var libc = NativeLibrary.Load("libc.so.6");
        var setvbuf = (delegate* unmanaged<nint, nint, int, nuint, int>)NativeLibrary.GetExport(libc, "setvbuf");
        foreach (var stream in new[] { "stdout", "stderr" })
        {
            var file = *(nint*)NativeLibrary.GetExport(libc, stream);
            setvbuf(file, 0, 2 /* _IONBF */, 0);
        }
        var runtime = NativeLibrary.Load(library);
        var createDefaultParam = (delegate* unmanaged<ParamBuffer>)NativeLibrary.GetExport(runtime, "rkllm_createDefaultParam");
        var init = (delegate* unmanaged<nint*, void*, void*, int>)NativeLibrary.GetExport(runtime, "rkllm_init");
        var destroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(runtime, "rkllm_destroy");

        var param = createDefaultParam();
        var path = Marshal.StringToCoTaskMemUTF8(model);
        *(nint*)param.Bytes = path; // model_path is the first field in every layout
        // 1.3.0 takes an RKLLMCallback* whose first field is the result callback; 1.2.x takes the function pointer
        // itself and only calls it during a run, never at init. A struct that starts with the pointer serves both.
        var callbacks = stackalloc nint[6];
        callbacks[0] = (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, int>)&Ignore;
        nint handle = 0;
        var status = init(&handle, &param, callbacks);
        if (status == 0 && handle != 0)
        {
            destroy(handle);
        }
        Marshal.FreeCoTaskMem(path);
        return status == 0 ? 0 : 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Ignore(nint result, nint userdata, int state) => 0;

    /// <summary>RKLLMParam returned by value into a buffer larger than every known layout (184 to 208 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private unsafe struct ParamBuffer
    {
        public fixed byte Bytes[512];
    }
}
