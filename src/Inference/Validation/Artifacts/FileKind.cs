using System.Runtime.InteropServices;

namespace Engram.Inference.Validation.Artifacts;

/// <summary>What a path is (after following symlinks): a regular file, a directory, or something else.</summary>
public enum FileKindOf
{
    Missing,
    RegularFile,
    Directory,
    /// <summary>A unix domain socket.</summary>
    Socket,
    /// <summary>A FIFO or device: opening or reading it can block forever or never end.</summary>
    Other,
}

/// <summary>
/// Tells regular files from FIFOs, sockets and devices before anything opens them, which .NET cannot: it reports
/// them all as "Normal" files. Uses statx(2), whose layout is the same on every architecture.
/// </summary>
public static unsafe partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mode (u16)
    private const int TypeMask = 0xF000, RegularFile = 0x8000, Directory = 0x4000, Socket = 0xC000;

    /// <summary>The kind of <paramref name="path"/>, following symlinks.</summary>
    public static FileKindOf Of(string path)
    {
        var buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return FileKindOf.Missing;
        }
        return (*(ushort*)(buffer + ModeOffset) & TypeMask) switch
        {
            RegularFile => FileKindOf.RegularFile,
            Directory => FileKindOf.Directory,
            Socket => FileKindOf.Socket,
            _ => FileKindOf.Other,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
