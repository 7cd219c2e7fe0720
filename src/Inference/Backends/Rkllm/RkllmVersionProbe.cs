using System.Diagnostics;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// Finds a runtime's version without risking this process: a child (the host program run again as
/// <c>PROGRAM rkllm-probe LIB</c>; engram-daemon has that verb)
/// calls rkllm_init with no parameters, which needs no struct layout, and the runtime prints its version
/// line first. If the child crashes or prints nothing, the version stays unknown and the caller refuses to guess.
/// </summary>
public static class RkllmVersionProbe
{
    public const string Verb = "rkllm-probe";

    public static async Task<(string? Version, string Output)> DetectAsync(string library, CancellationToken cancellationToken)
    {
        var info = HostProgram.StartInfo(Verb, library);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var child = Process.Start(info)!;
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await child.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return (null, "the version probe did not finish within 15 s");
        }
        var output = await stdout + await stderr;
        return (RkllmInitLog.Parse(output).RuntimeVersion, output);
    }

    /// <summary>The child's side: load the library, make stdout unbuffered so nothing is lost if it crashes, call init.</summary>
    public static unsafe int RunInChild(string library)
    {
        var libc = System.Runtime.InteropServices.NativeLibrary.Load("libc.so.6");
        var setvbuf = (delegate* unmanaged<nint, nint, int, nuint, int>)System.Runtime.InteropServices.NativeLibrary.GetExport(libc, "setvbuf");
        foreach (var stream in new[] { "stdout", "stderr" })
        {
            var file = *(nint*)System.Runtime.InteropServices.NativeLibrary.GetExport(libc, stream);
            setvbuf(file, 0, 2 /* _IONBF */, 0);
        }
        var runtime = System.Runtime.InteropServices.NativeLibrary.Load(library);
        var init = (delegate* unmanaged<nint*, void*, nint, int>)System.Runtime.InteropServices.NativeLibrary.GetExport(runtime, "rkllm_init");
        nint handle = 0;
        return init(&handle, null, 0) == 0 ? 0 : 1;
    }
}
