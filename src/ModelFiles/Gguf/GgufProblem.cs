namespace Engram.ModelFiles.Gguf;

/// <summary>What is wrong with a GGUF file, as far as can be told without loading it.</summary>
public enum GgufProblem
{
    None,
    /// <summary>The file ends before its header, metadata or tensor table does.</summary>
    TruncatedHeader,
    /// <summary>The header is whole but tensor data runs past the end of the file: an incomplete download.</summary>
    TruncatedData,
    /// <summary>Not GGUF at all (wrong magic).</summary>
    BadMagic,
    /// <summary>A GGUF version this build does not read.</summary>
    UnsupportedVersion,
    /// <summary>Counts, lengths, types or offsets that cannot be right.</summary>
    Corrupt,
    /// <summary>A well-formed file for an architecture llama.cpp does not know.</summary>
    UnknownArchitecture,
}

/// <summary>Thrown inside the reader; callers get a <see cref="GgufInspection"/> instead.</summary>
internal sealed class GgufFormatException(GgufProblem problem, string message) : Exception(message)
{
    public GgufProblem Problem { get; } = problem;
}
