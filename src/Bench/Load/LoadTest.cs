using System.Collections.Concurrent;
using System.Diagnostics;
using Engram.Bench.Measurement;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Grpc.Core;

namespace Engram.Bench.Load;

/// <summary>
/// <c>engram-bench load</c>: N clients send M requests in all to one daemon at once. Every accepted stream must be
/// complete and well formed (accepted first, token counts rising, exactly one finished last); a full queue is
/// counted as a rejection, not an error.
/// </summary>
public sealed class LoadTest(string address, int clients, int requests, int maxNewTokens, string prompt)
{
    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        // No retries: a rejection is what is being counted.
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = address, MaxRetries = 0, BreakerMinimumThroughput = 1_000_000 });
        var next = -1;
        var waits = new ConcurrentBag<double>();
        var problems = new ConcurrentBag<string>();
        int completed = 0, rejected = 0, failed = 0, malformed = 0;
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < requests)
            {
                try
                {
                    var (problem, wait, generated) = await RunStreamAsync(client, cancellationToken);
                    if (problem is not null)
                    {
                        Interlocked.Increment(ref malformed);
                        problems.Add(problem);
                        continue;
                    }
                    Interlocked.Increment(ref completed);
                    Interlocked.Add(ref tokens, generated);
                    waits.Add(wait);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
                {
                    Interlocked.Increment(ref rejected);
                }
                catch (Exception ex) when (ex is RpcException or StreamInterruptedException)
                {
                    Interlocked.Increment(ref failed);
                    problems.Add(ex.Message);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var sorted = waits.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
        return new LoadResult(clients, requests, completed, rejected, failed, malformed, Summary.Of(sorted), Percentile(0.5), Percentile(0.95),
            Percentile(0.99), tokens, tokens / elapsed.TotalSeconds, elapsed, problems.ToArray());
    }

    private async Task<(string? Problem, double QueueMs, int Tokens)> RunStreamAsync(EngramDaemonClient client, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { Prompt = prompt, MaxNewTokens = maxNewTokens, Temperature = 0 };
        var index = 0;
        var lastCount = 0;
        Finished? finished = null;
        await foreach (var update in client.GenerateAsync(request, cancellationToken))
        {
            if (finished is not null)
            {
                return ("an event arrived after finished", 0, 0);
            }
            switch (update)
            {
                case GenerationAccepted when index != 0:
                    return ("accepted was not the first event", 0, 0);
                case GenerationText text when text.TokensSoFar < lastCount:
                    return ($"token count went back from {lastCount} to {text.TokensSoFar}", 0, 0);
                case GenerationText text:
                    lastCount = text.TokensSoFar;
                    break;
                case GenerationCompleted done:
                    finished = done.Details;
                    break;
            }
            if (index == 0 && update is not GenerationAccepted)
            {
                return ("the stream did not start with accepted", 0, 0);
            }
            index++;
        }
        if (finished is null)
        {
            return ("the stream ended without finished", 0, 0);
        }
        if (finished.Timings.GeneratedTokens < lastCount)
        {
            return ("finished counts fewer tokens than were streamed", 0, 0);
        }
        return (null, finished.Timings.QueueMs, finished.Timings.GeneratedTokens);
    }
}
