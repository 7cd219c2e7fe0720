using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Rkllm.Native;

/// <summary>The few libc calls needed to capture what the runtime prints on stdout/stderr.</summary>
internal static partial class Libc
{
    private const string Library = "libc";

    [LibraryImport(Library, EntryPoint = "pipe", SetLastError = true)]
    public static unsafe partial int Pipe(int* fds);

    [LibraryImport(Library, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int fd, int target);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nint count);

    /// <summary>fflush(NULL) flushes every C stdio stream, so the runtime's buffered printf output reaches the pipe.</summary>
    [LibraryImport(Library, EntryPoint = "fflush")]
    public static partial int Fflush(nint stream);
}
