using LLama.Native;

namespace Engram.Inference.Backends.Llama;

/// <summary>The prompt cache's KV operations on a llama.cpp context (its memory API).</summary>
internal sealed class LlamaKvSequences(SafeLLamaContextHandle context) : IKvSequences
{
    public void Truncate(int sequence, int from) =>
        context.MemorySequenceRemove((LLamaSeqId)sequence, from, -1);

    public void Share(int source, int destination, int length) =>
        context.MemorySequenceCopy((LLamaSeqId)source, (LLamaSeqId)destination, 0, length);
}
