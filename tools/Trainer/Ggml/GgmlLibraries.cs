using System.Runtime.InteropServices;

namespace Engram.Trainer.Ggml;

/// <summary>
/// The ggml libraries LLamaSharp has already loaded, found in /proc/self/maps and opened again by path (which
/// returns the same handles). Loading a second copy would give a second, separate ggml state.
/// </summary>
internal static class GgmlLibraries
{
    public static (nint Base, nint Cpu) Resolve()
    {
        var maps = File.ReadAllLines("/proc/self/maps");
        string Find(string name) => maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 6 && Path.GetFileName(parts[5]) == name)
            .Select(parts => parts[5]).FirstOrDefault()
            ?? throw new InvalidOperationException($"{name} is not loaded: load a model through LLamaSharp first");
        return (NativeLibrary.Load(Find("libggml-base.so")), NativeLibrary.Load(Find("libggml-cpu.so")));
    }
}
