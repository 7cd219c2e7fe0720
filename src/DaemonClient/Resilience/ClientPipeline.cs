using Engram.Contract.V1;
using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Engram.DaemonClient.Resilience;

/// <summary>
/// The resilience pipeline around opening a stream, in the standard order: total timeout → retry → circuit
/// breaker → attempt timeout. It only ever wraps the part before the stream is committed (its first
/// message): a stream that has started is never replayed.
/// </summary>
internal static class ClientPipeline
{
    /// <summary>The per-call observer of retries (see <see cref="EngramDaemonClient.GenerateAsync"/>).</summary>
    public static readonly ResiliencePropertyKey<Action<RetryNotice>> RetryObserver = new("engram.retry-observer");

    /// <param name="breakerPerAddress">Several daemons: each address has its own breaker in the balancer, so the pipeline has none.</param>
    public static ResiliencePipeline Create(DaemonClientOptions options, CircuitBreakerStateProvider breakerState, TimeProvider time, bool breakerPerAddress = false)
    {
        var transient = new PredicateBuilder()
            .Handle<RpcException>(Refusal.IsRetryable)
            .Handle<TimeoutRejectedException>()
            .Handle<HttpRequestException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient.Handle<BrokenCircuitException>(),
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(5),
                // A full queue is back-pressure: wait longer before asking again.
                DelayGenerator = args => args.Outcome.Exception is RpcException full && Refusal.Of(full).Reason == RefusalReasons.QueueFull
                    ? ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(500 * (args.AttemptNumber + 1)))
                    : ValueTask.FromResult<TimeSpan?>(null),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(RetryObserver, out var observe))
                    {
                        observe(RetryNotice.From(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception));
                    }
                    return ValueTask.CompletedTask;
                },
            });
        }
        if (breakerPerAddress)
        {
            return builder.AddTimeout(options.AttemptTimeout).Build();
        }
        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // Only a daemon that did not answer counts; a refusal (loading, full, stopping) is a daemon doing its job.
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(Refusal.IsUnreachable)
                    .Handle<TimeoutRejectedException>().Handle<HttpRequestException>(),
                FailureRatio = 0.5,
                MinimumThroughput = Math.Max(2, options.BreakerMinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                StateProvider = breakerState,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }
}
