using System.Runtime.InteropServices;
using LLama.Native;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Llama;

/// <summary>
/// LLamaSharp's native configuration is process-wide and must be set before the first native call (it
/// throws afterwards), so it is done once here: which llama.cpp build to load, and llama.cpp's own log routed into ours.
/// </summary>
internal static class LlamaNativeSetup
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>Configures the process once; returns the llama.cpp library chosen when this call did it (null after).</summary>
    public static string? EnsureConfigured(ILogger nativeLogger, string? libraryDirectory)
    {
        lock (Gate)
        {
            if (_configured)
            {
                return null;
            }
            NativeLibraryConfig.All.WithLogCallback(nativeLogger);
            // An operator's board-built llama.cpp (same commit; its libggml*.so beside libllama.so), else the build the
            // package ships for this CPU.
            var directory = libraryDirectory
                ?? LlamaNativeBuild.Find(AppContext.BaseDirectory, RuntimeInformation.ProcessArchitecture, LlamaNativeBuild.ThisMachine());
            _configured = true;
            if (directory is null)
            {
                NativeLibraryConfig.All.WithSearchDirectory(AppContext.BaseDirectory);
                return "LLamaSharp's own choice (no build for this machine under runtimes/)";
            }
            var library = Path.Combine(directory, "libllama.so");
            NativeLibraryConfig.All.WithLibrary(library, null);
            return library;
        }
    }
}
