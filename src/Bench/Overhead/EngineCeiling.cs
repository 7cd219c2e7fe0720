using System.Diagnostics;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Engram.Bench.Overhead;

/// <summary>
/// The engine's own decode loop, driven straight: llama_decode and llama.cpp's native greedy sampler on one
/// reused batch, no managed sampler, no channel, no text assembly, no transport. What the model file and the
/// llama.cpp build can do on this machine, the ceiling the in-process engine and the daemon are held against.
/// Configured as the daemon configures its context (threads, batch sizes, f16 cache, flash attention auto).
/// </summary>
public sealed class EngineCeiling : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LLamaToken[] _prompt;

    /// <param name="prompt">The prompt's tokens exactly as the engine prepares them (chat template and all).</param>
    public EngineCeiling(string modelPath, int threads, int contextLength, IReadOnlyList<int> prompt)
    {
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = (uint)contextLength,
            Threads = threads,
            BatchThreads = threads,
            BatchSize = 512,
            UBatchSize = 256,
            GpuLayerCount = 0,
            LoadMode = LLamaLoadMode.MemoryMap, // as the daemon's profiles load by default
        };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
        _prompt = prompt.Select(id => (LLamaToken)id).ToArray();
    }

    public int PromptTokens => _prompt.Length;

    /// <summary>One greedy generation of up to <paramref name="tokens"/> tokens, from an empty cache.</summary>
    public OverheadSample Run(int tokens)
    {
        var handle = _context.NativeHandle;
        handle.MemoryClear(false);
        using var sampler = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        sampler.AddGreedySampler();
        var batch = new LLamaBatch();
        var started = Stopwatch.GetTimestamp();
        var position = 0;
        while (position < _prompt.Length)
        {
            batch.Clear();
            var end = Math.Min(_prompt.Length, position + 512);
            for (; position < end; position++)
            {
                batch.Add(_prompt[position], position, LLamaSeqId.Zero, logits: position == _prompt.Length - 1);
            }
            Check(handle.Decode(batch));
        }
        var prefilled = Stopwatch.GetTimestamp();
        long first = 0, last = 0;
        var generated = 0;
        while (true)
        {
            var token = sampler.Sample(handle, batch.TokenCount - 1);
            if (token.IsEndOfGeneration(_weights.Vocab))
            {
                break; // the engine does not count the end of turn as a generated token either
            }
            last = Stopwatch.GetTimestamp();
            if (generated++ == 0)
            {
                first = last;
            }
            if (generated == tokens)
            {
                break;
            }
            batch.Clear();
            batch.Add(token, position++, LLamaSeqId.Zero, logits: true);
            Check(handle.Decode(batch));
        }
        var decodeSeconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        return new OverheadSample("engine", generated > 0 ? Stopwatch.GetElapsedTime(started, first).TotalMilliseconds : double.NaN,
            generated > 1 && decodeSeconds > 0 ? (generated - 1) / decodeSeconds : double.NaN, generated,
            Stopwatch.GetElapsedTime(started, prefilled).TotalMilliseconds);
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode failed: {result}");
        }
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }
}
