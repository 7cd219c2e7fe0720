using System.Collections.Concurrent;
using System.Diagnostics;
using Engram.Bench.Measurement;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.DaemonClient.Resilience;
using Grpc.Core;

namespace Engram.Bench.Load;

/// <summary>How load is offered: closed loop (each client asks again once its answer is finished) or open loop (arrivals at a rate).</summary>
public sealed record LoadPlan(int Requests, int MaxNewTokens, string Prompt)
{
    /// <summary>Each of <see cref="Clients"/> clients sends its next request after its previous one finished.</summary>
    public bool ClosedLoop { get; init; }

    /// <summary>Closed loop: concurrent clients.</summary>
    public int Clients { get; init; } = 4;

    /// <summary>Open loop: requests started per second, whatever the answers; 0 starts them all at once.</summary>
    public double RatePerSecond { get; init; }

    public string Describe() => ClosedLoop ? $"closed loop, {Clients} clients" : RatePerSecond > 0 ? $"open loop, {RatePerSecond:0.##}/s" : "open loop, all at once";
}

/// <summary>
/// <c>engram-bench load</c>: requests against one daemon, closed or open loop. Every accepted stream must be
/// complete and well formed (accepted first, token counts rising, exactly one finished last); a full queue is
/// counted as a refusal (by its trailer), not an error. No retries: refusals are what is being counted.
/// </summary>
public sealed class LoadTest(string address, LoadPlan plan)
{
    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = address, MaxRetries = 0, BreakerMinimumThroughput = 1_000_000 });
        var waits = new ConcurrentBag<double>();
        var problems = new ConcurrentBag<string>();
        int completed = 0, rejected = 0, refusedOther = 0, failed = 0, malformed = 0;
        long tokens = 0;
        async Task OneAsync()
        {
            try
            {
                var (problem, wait, generated) = await RunStreamAsync(client, cancellationToken);
                if (problem is not null)
                {
                    Interlocked.Increment(ref malformed);
                    problems.Add(problem);
                    return;
                }
                Interlocked.Increment(ref completed);
                Interlocked.Add(ref tokens, generated);
                waits.Add(wait);
            }
            catch (RpcException ex) when (Refusal.Of(ex).Reason == RefusalReasons.QueueFull)
            {
                Interlocked.Increment(ref rejected);
            }
            catch (RpcException ex) when (Refusal.Of(ex).Reason is not null)
            {
                Interlocked.Increment(ref refusedOther);
                problems.Add($"refused: {Refusal.Of(ex).Reason}: {ex.Status.Detail}");
            }
            catch (Exception ex) when (ex is RpcException or StreamInterruptedException)
            {
                Interlocked.Increment(ref failed);
                problems.Add(ex.Message);
            }
        }

        var clock = Stopwatch.StartNew();
        if (plan.ClosedLoop)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < plan.Requests)
                {
                    await OneAsync();
                }
            }));
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, plan.Requests).Select(async i =>
            {
                if (plan.RatePerSecond > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(i / plan.RatePerSecond), cancellationToken);
                }
                await OneAsync();
            }));
        }
        var elapsed = clock.Elapsed;
        var sorted = waits.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
        return new LoadResult(plan, completed, rejected, refusedOther, failed, malformed, Summary.Of(sorted), Percentile(0.5), Percentile(0.95),
            Percentile(0.99), tokens, tokens / elapsed.TotalSeconds, elapsed, problems.ToArray());
    }

    private async Task<(string? Problem, double QueueMs, int Tokens)> RunStreamAsync(EngramDaemonClient client, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { Prompt = plan.Prompt, MaxNewTokens = plan.MaxNewTokens, Temperature = 0 };
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
