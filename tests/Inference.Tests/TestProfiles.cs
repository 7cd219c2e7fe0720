using Engram.Inference.Engine;

namespace Engram.Inference.Tests;

/// <summary>Profiles for tests that exercise the engine's parts without a daemon.</summary>
internal static class TestProfiles
{
    public static ModelProfile Create(string name = "p", int maxNewTokens = 128, int defaultMaxNewTokens = 64) => new()
    {
        Name = name,
        ModelPath = $"/{name}.gguf",
        Backend = "llama",
        MaxContextLen = 512,
        DefaultMaxNewTokens = defaultMaxNewTokens,
        MaxNewTokens = maxNewTokens,
        Threads = 1,
        QueueSize = 1,
        DefaultSampling = new SamplingSettings(0.7f, 40, 0.9f, null),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };
}
