namespace Engram.Inference.Engine;

/// <summary>How the llama backend brings a model file's weights into memory (llama.cpp's use_mmap and use_mlock).</summary>
public enum ModelLoadMode
{
    /// <summary>
    /// Map the file: its pages are the page cache's, shared with any other reader, loaded as they are first
    /// used and reclaimable under pressure (re-read from disk when needed again). llama-server's default.
    /// </summary>
    Mmap,

    /// <summary>Map the file and lock it in memory, so pressure never pages the weights out (needs LimitMEMLOCK).</summary>
    Mlock,

    /// <summary>Read the file into the process's own memory: a private copy that only swap can move.</summary>
    Read,
}
