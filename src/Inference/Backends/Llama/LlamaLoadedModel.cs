using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Engram.Inference.Engine;
using LLama;
using LLama.Native;

namespace Engram.Inference.Backends.Llama;

/// <summary>A GGUF model and its one context. Generation runs the low-level decode loop on a worker task.</summary>
internal sealed class LlamaLoadedModel(LLamaWeights weights, LLamaContext context, int maxContextLen) : ILoadedModel
{
    private readonly LlamaPrompts _prompts = new(weights);

    public const int PrefillBatchSize = 512;

    // llama.cpp rounds the context up (to a multiple of 256); the profile's max_context_len is the promise.
    public int ContextLength { get; } = Math.Min(maxContextLen, (int)context.ContextSize);

    // llama.cpp prints nothing the daemon needs to check; the GGUF was inspected before the load.
    public RuntimeFacts? Runtime => null;

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
        var worker = Task.Run(() => DecodeLoopAsync(prompt, sampling, maxNewTokens, channel.Writer, stop.Token), CancellationToken.None);
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

    private async Task DecodeLoopAsync(
        PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens, ChannelWriter<BackendEvent> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            context.NativeHandle.MemoryClear(true);
            var batch = new LLamaBatch();
            var started = Stopwatch.GetTimestamp();
            var position = 0;
            var tokens = prompt.TokenIds;
            while (position < tokens.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                var end = Math.Min(tokens.Count, position + PrefillBatchSize);
                for (; position < end; position++)
                {
                    batch.Add(tokens[position], position, LLamaSeqId.Zero, logits: position == tokens.Count - 1);
                }
                Decode(batch);
            }
            await writer.WriteAsync(new PrefillCompleted(tokens.Count, Stopwatch.GetElapsedTime(started)), cancellationToken);

            using var sampler = LlamaSamplerChain.Create(sampling);
            var vocab = weights.Vocab;
            var piece = new byte[64];
            for (var generated = 0; generated < maxNewTokens; generated++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
                if (token.IsEndOfGeneration(vocab))
                {
                    await writer.WriteAsync(new GeneratedToken([], IsEndOfGeneration: true), cancellationToken);
                    return;
                }
                await writer.WriteAsync(new GeneratedToken(TokenBytes(token, ref piece), false), cancellationToken);
                if (generated + 1 == maxNewTokens)
                {
                    return;
                }
                if (position >= ContextLength)
                {
                    await writer.WriteAsync(new ContextExhausted(), cancellationToken);
                    return;
                }
                batch.Clear();
                batch.Add(token, position++, LLamaSeqId.Zero, logits: true);
                Decode(batch);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private void Decode(LLamaBatch batch)
    {
        var result = context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode failed: {result}");
        }
    }

    private byte[] TokenBytes(LLamaToken token, ref byte[] buffer)
    {
        var length = (int)weights.NativeHandle.TokenToSpan(token, buffer);
        if (length > buffer.Length)
        {
            buffer = new byte[length];
            length = (int)weights.NativeHandle.TokenToSpan(token, buffer);
        }
        return buffer[..length];
    }

    public ValueTask DisposeAsync()
    {
        context.Dispose();
        weights.Dispose();
        return ValueTask.CompletedTask;
    }
}
