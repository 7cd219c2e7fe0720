using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Engram.Inference.Engine;
using LLama;
using LLama.Native;

namespace Engram.Inference.Backends.Llama;

/// <summary>
/// A GGUF model and its one context, whose KV cache keeps recent conversations for reuse (see <see cref="PromptCache"/>).
/// Generation runs the low-level decode loop on the model's own native thread (<see cref="NativeWorkerThread"/>),
/// handing tokens to the stream through a small channel.
/// </summary>
internal sealed class LlamaLoadedModel : ILoadedModel
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LlamaPrompts _prompts;
    private readonly PromptCache _cache;
    private readonly int _cells;
    private readonly int _batchSize;
    private readonly NativeWorkerThread _decoder;
    // Guards the cache's bookkeeping: the decode loop changes it while Health reads it.
    private readonly Lock _usageLock = new();

    /// <param name="decoder">The thread that loaded the model: every later native call is made on it too.</param>
    public LlamaLoadedModel(NativeWorkerThread decoder, LLamaWeights weights, LLamaContext context, int maxContextLen, int batchSize, PromptCache cache)
    {
        _decoder = decoder;
        _batchSize = batchSize;
        _weights = weights;
        _context = context;
        _prompts = new LlamaPrompts(weights);
        _cache = cache;
        _cells = (int)_context.ContextSize;
        // llama.cpp rounds the context up (to a multiple of 256); the profile's max_context_len is the promise.
        ContextLength = Math.Min(maxContextLen, _cells);
    }

    public int ContextLength { get; }

    // llama.cpp prints nothing the daemon needs to check; the GGUF was inspected before the load.
    public RuntimeFacts? Runtime => null;

    public ContextUsage Context
    {
        get
        {
            lock (_usageLock)
            {
                return new ContextUsage(_cache.CellsInUse, _cache.PeakCells, _cells, _cache.CachedSequences);
            }
        }
    }

    public long MaxPromptBytes => (long)ContextLength * _prompts.LongestTokenBytes;

    public PreparedPrompt Prepare(PromptInput input) => _prompts.Prepare(input);

    public async IAsyncEnumerable<BackendEvent> GenerateAsync(
        PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Small bound: the decode loop should never run far ahead of the stream that carries its tokens.
        var channel = Channel.CreateBounded<BackendEvent>(new BoundedChannelOptions(8)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = _decoder.InvokeAsync(() => DecodeLoop(prompt, sampling, maxNewTokens, channel.Writer, stop.Token));
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
            await worker; // surfaces a native error
        }
        finally
        {
            await stop.CancelAsync();
            // The slot is only free once llama.cpp is no longer touching the context.
            await worker.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private void DecodeLoop(
        PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens, ChannelWriter<BackendEvent> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        var tokens = prompt.TokenIds;
        PromptLease lease;
        lock (_usageLock)
        {
            lease = _cache.Acquire(tokens);
        }
        var intact = true; // false once the sequence's KV state is unknown (a failed decode)
        try
        {
            var batch = new LLamaBatch();
            var sequence = (LLamaSeqId)lease.Sequence;
            var started = Stopwatch.GetTimestamp();
            var position = lease.CachedTokens;
            while (position < tokens.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                var from = position;
                var end = Math.Min(tokens.Count, position + _batchSize);
                for (; position < end; position++)
                {
                    batch.Add(tokens[position], position, sequence, logits: position == tokens.Count - 1);
                }
                Decode(batch, lease, ToArray(tokens, from, end));
            }
            Put(writer, new PrefillCompleted(tokens.Count, Stopwatch.GetElapsedTime(started), lease.CachedTokens), cancellationToken);

            using var sampler = LlamaSamplerChain.Create(sampling);
            var vocab = _weights.Vocab;
            var piece = new byte[64];
            for (var generated = 0; generated < maxNewTokens; generated++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var token = sampler.Sample(_context.NativeHandle, batch.TokenCount - 1);
                if (token.IsEndOfGeneration(vocab))
                {
                    Put(writer, new GeneratedToken([], IsEndOfGeneration: true), cancellationToken);
                    return;
                }
                Put(writer, new GeneratedToken(TokenBytes(token, ref piece), false), cancellationToken);
                if (generated + 1 == maxNewTokens)
                {
                    return;
                }
                if (position >= ContextLength)
                {
                    Put(writer, new ContextExhausted(), cancellationToken);
                    return;
                }
                batch.Clear();
                batch.Add(token, position++, sequence, logits: true);
                Decode(batch, lease, [(int)token]);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            intact = false;
            failure = ex;
        }
        finally
        {
            lock (_usageLock)
            {
                _cache.Release(lease, intact);
            }
            writer.TryComplete(failure);
        }
    }

    // The decode thread is the model's own, so it may block while the stream is behind (the channel is full):
    // the loop must not run ahead of what the client has taken.
    private static void Put(ChannelWriter<BackendEvent> writer, BackendEvent item, CancellationToken cancellationToken)
    {
        if (!writer.TryWrite(item))
        {
            writer.WriteAsync(item, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }

    private static int[] ToArray(IReadOnlyList<int> tokens, int from, int end)
    {
        var slice = new int[end - from];
        for (var i = from; i < end; i++)
        {
            slice[i - from] = tokens[i];
        }
        return slice;
    }

    /// <summary>Evaluates a batch in the lease's sequence, first dropping least recently used conversations if the context needs the room.</summary>
    private void Decode(LLamaBatch batch, PromptLease lease, int[] tokens)
    {
        lock (_usageLock)
        {
            if (!_cache.MakeRoom(lease, tokens.Length))
            {
                throw new InvalidOperationException($"the context ({_cells} tokens) is full");
            }
        }
        var result = _context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode failed: {result}");
        }
        lock (_usageLock)
        {
            _cache.Evaluated(lease, tokens);
        }
    }

    private byte[] TokenBytes(LLamaToken token, ref byte[] buffer)
    {
        var length = (int)_weights.NativeHandle.TokenToSpan(token, buffer);
        if (length > buffer.Length)
        {
            buffer = new byte[length];
            length = (int)_weights.NativeHandle.TokenToSpan(token, buffer);
        }
        return buffer[..length];
    }

    public async ValueTask DisposeAsync()
    {
        // Freed on the thread that made them, then the thread ends.
        await _decoder.InvokeAsync(() =>
        {
            _context.Dispose();
            _weights.Dispose();
        });
        _decoder.Dispose();
    }
}
