using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Engram.DaemonClient.Resilience;

/// <summary>Why a call that has not been accepted yet is being tried again, in words a caller can show a user.</summary>
public enum RetryReason
{
    /// <summary>No connection to the daemon: it is down or restarting.</summary>
    DaemonUnreachable,

    /// <summary>The daemon is up but the model is still loading (after a start or restart).</summary>
    ModelLoading,

    /// <summary>The model's queue is full: back-pressure.</summary>
    QueueFull,

    /// <summary>The daemon did not accept the call within the attempt timeout.</summary>
    AttemptTimedOut,

    /// <summary>The circuit breaker is open after repeated failures; calls wait for it to try again.</summary>
    BreakerOpen,
}

/// <summary>One retry of a call before it was accepted: which attempt comes next, after how long, and why.</summary>
public sealed record RetryNotice(int Attempt, TimeSpan Delay, RetryReason Reason, string Detail)
{
    internal static RetryNotice From(int attempt, TimeSpan delay, Exception? error) => error switch
    {
        RpcException { StatusCode: StatusCode.ResourceExhausted } e => new(attempt, delay, RetryReason.QueueFull, e.Status.Detail),
        // The daemon's own refusal while a model loads ("model 'x' is loading; retry shortly") carries no
        // connection error; an unreachable daemon's UNAVAILABLE does.
        RpcException { StatusCode: StatusCode.Unavailable, Status.DebugException: null } e when e.Status.Detail.Contains(" is loading", StringComparison.Ordinal)
            => new(attempt, delay, RetryReason.ModelLoading, e.Status.Detail),
        TimeoutRejectedException e => new(attempt, delay, RetryReason.AttemptTimedOut, e.Message),
        BrokenCircuitException e => new(attempt, delay, RetryReason.BreakerOpen, e.Message),
        RpcException e => new(attempt, delay, RetryReason.DaemonUnreachable, e.Status.Detail),
        _ => new(attempt, delay, RetryReason.DaemonUnreachable, error?.Message ?? "unknown"),
    };
}
