using LLama.Native;

namespace Engram.InferenceDaemon.Backends.Llama;

/// <summary>
/// LLamaSharp's native configuration is process-wide and must be set before the first native call (it
/// throws afterwards), so it is done once here, routing llama.cpp's own log into ours.
/// </summary>
internal static class LlamaNativeSetup
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    public static void EnsureConfigured(ILogger nativeLogger)
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }
            NativeLibraryConfig.All.WithLogCallback(nativeLogger);
            _configured = true;
        }
    }
}
