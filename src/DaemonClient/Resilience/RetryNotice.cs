using Engram.Contract.V1;
using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Engram.DaemonClient.Resilience;

/// <summary>Why a call that has not been accepted yet is being tried again, in words a caller can show a user.</summary>
public enum RetryReason
{
    /// <summary>No connection to the daemon: it is down, or not reachable from here.</summary>
    DaemonUnreachable,

    /// <summary>The daemon is up but the model is still validating or loading (after a start or restart).</summary>
    ModelLoading,

    /// <summary>The model's queue is full: back-pressure.</summary>
    QueueFull,

    /// <summary>The daemon is stopping (a restart or an upgrade); the call goes to another daemon where there is one.</summary>
    DaemonShuttingDown,

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
        RpcException e => new(attempt, delay, Refusal.Of(e).Reason switch
        {
            RefusalReasons.QueueFull => RetryReason.QueueFull,
            RefusalReasons.ModelLoading => RetryReason.ModelLoading,
            RefusalReasons.ShuttingDown => RetryReason.DaemonShuttingDown,
            _ => RetryReason.DaemonUnreachable,
        }, e.Status.Detail),
        TimeoutRejectedException e => new(attempt, delay, RetryReason.AttemptTimedOut, e.Message),
        BrokenCircuitException e => new(attempt, delay, RetryReason.BreakerOpen, e.Message),
        _ => new(attempt, delay, RetryReason.DaemonUnreachable, error?.Message ?? "unknown"),
    };
}
