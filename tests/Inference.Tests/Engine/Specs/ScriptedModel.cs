using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine.Specs;

/// <summary>
/// A loaded model the test drives: every generation it starts is handed to the test, which releases its tokens
/// one by one and ends it, so the engine's behaviour can be pinned step by step. It records whether two
/// generations ever overlapped, and can be slow to stop (as an NPU abort is).
/// </summary>
internal sealed class ScriptedModel : ILoadedModel
{
    private readonly Channel<ScriptedGeneration> _started = Channel.CreateUnbounded<ScriptedGeneration>();
    private int _running;

    public int ContextLength { get; init; } = 256;
    public long MaxPromptBytes => ContextLength * 4L;
    public RuntimeFacts? Runtime => null;
    public ContextUsage Context => ContextUsage.Empty(ContextLength);

    /// <summary>How long a generation takes to stop once it is told to (0: at once).</summary>
    public TimeSpan StopDelay { get; set; }

    public int Prepared { get; private set; }
    public bool Overlapped { get; private set; }
    public int Running => Volatile.Read(ref _running);

    /// <summary>The next generation the engine started.</summary>
    public async Task<ScriptedGeneration> NextGenerationAsync() => await _started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public PreparedPrompt Prepare(PromptInput input)
    {
        Prepared++;
        var text = input.IsChat ? string.Concat(input.Messages.Select(m => m.Content)) : input.Prompt;
        return new PreparedPrompt(text, text.Select(c => (int)c).ToArray()); // a token per character
    }

    public async IAsyncEnumerable<BackendEvent> GenerateAsync(PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _running) > 1)
        {
            Overlapped = true;
        }
        var generation = new ScriptedGeneration(prompt.Text);
        _started.Writer.TryWrite(generation);
        try
        {
            yield return new PrefillCompleted(prompt.TokenCount, TimeSpan.FromMilliseconds(prompt.TokenCount));
            var generated = 0;
            while (generated < maxNewTokens)
            {
                byte[]? next;
                try
                {
                    next = await generation.Tokens.Reader.ReadAsync(cancellationToken);
                }
                catch (ChannelClosedException)
                {
                    yield break;
                }
                if (next is null)
                {
                    yield return new GeneratedToken([], IsEndOfGeneration: true);
                    yield break;
                }
                generated++;
                yield return new GeneratedToken(next, IsEndOfGeneration: false);
            }
        }
        finally
        {
            if (StopDelay > TimeSpan.Zero)
            {
                Thread.Sleep(StopDelay); // the native call finishing its step
            }
            generation.Stopped.TrySetResult();
            Interlocked.Decrement(ref _running);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One generation of a <see cref="ScriptedModel"/>: the test releases its tokens and ends it.</summary>
internal sealed class ScriptedGeneration(string prompt)
{
    public string Prompt { get; } = prompt;

    public Channel<byte[]?> Tokens { get; } = Channel.CreateUnbounded<byte[]?>();

    public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tokens as text (UTF-8).</summary>
    public ScriptedGeneration Emit(params string[] tokens) => EmitBytes(tokens.Select(Encoding.UTF8.GetBytes).ToArray());

    /// <summary>Tokens as raw bytes, which may split a character.</summary>
    public ScriptedGeneration EmitBytes(params byte[][] tokens)
    {
        foreach (var token in tokens)
        {
            Tokens.Writer.TryWrite(token);
        }
        return this;
    }

    /// <summary>The model's end of turn.</summary>
    public void EndOfTurn() => Tokens.Writer.TryWrite(null);
}
