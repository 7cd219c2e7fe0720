using LLama.Native;
using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Llama;

/// <summary>
/// LLamaSharp's native configuration is process-wide and must be set before the first native call (it
/// throws afterwards), so it is done once here, routing llama.cpp's own log into ours.
/// </summary>
internal static class LlamaNativeSetup
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    public static void EnsureConfigured(ILogger nativeLogger, string? libraryDirectory)
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }
            NativeLibraryConfig.All.WithLogCallback(nativeLogger);
            if (libraryDirectory is not null)
            {
                // A board-built llama.cpp (same commit): its libggml*.so are found beside libllama.so.
                NativeLibraryConfig.All.WithLibrary(Path.Combine(libraryDirectory, "libllama.so"), null);
            }
            _configured = true;
        }
    }
}
