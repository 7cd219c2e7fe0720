using Engram.ModelFiles.Gguf;

namespace Engram.ModelFiles.Synthetic;

/// <summary>Supplies the values of one tensor, row by row; <paramref name="dimensions"/> are in ggml order.</summary>
public delegate TensorRowFill WeightSource(string tensorName, ulong[] dimensions);
