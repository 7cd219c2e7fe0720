using Engram.Inference.Engine;
using LLama.Native;

namespace Engram.Inference.Backends.Llama;

/// <summary>Builds llama.cpp's sampler chain for a request: greedy, or top-k → top-p → temperature → seeded draw.</summary>
internal static class LlamaSamplerChain
{
    public static SafeLLamaSamplerChainHandle Create(SamplingSettings sampling)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (sampling.IsGreedy)
        {
            chain.AddGreedySampler();
            return chain;
        }
        if (sampling.TopK > 0)
        {
            chain.AddTopK(sampling.TopK);
        }
        if (sampling.TopP < 1f)
        {
            chain.AddTopP(sampling.TopP, 1);
        }
        chain.AddTemperature(sampling.Temperature);
        // No seed: a fresh one per request (LLAMA_DEFAULT_SEED asks llama.cpp to pick one).
        chain.AddDistributionSampler(sampling.Seed is { } seed ? unchecked((uint)seed) : 0xFFFFFFFFu);
        return chain;
    }
}
