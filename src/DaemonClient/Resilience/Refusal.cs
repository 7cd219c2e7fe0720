using Engram.Contract.V1;
using Grpc.Core;

namespace Engram.DaemonClient.Resilience;

/// <summary>
/// What a failed call says about itself, read from its trailers (never from its message): the daemon's own
/// refusal reason and the model's state, or nothing when the failure did not come from the daemon's engine
/// (the daemon is unreachable, or gRPC itself refused, e.g. a message over its size limit).
/// </summary>
public readonly record struct Refusal(string? Reason, string? ModelState)
{
    public static Refusal Of(RpcException error) =>
        new(error.Trailers.GetValue(RefusalTrailers.Reason), error.Trailers.GetValue(RefusalTrailers.ModelState));

    /// <summary>Safe to try again before a stream is committed: the daemon was unreachable, or said to come back.</summary>
    public static bool IsRetryable(RpcException error) => Of(error).Reason switch
    {
        RefusalReasons.QueueFull or RefusalReasons.ModelLoading or RefusalReasons.ShuttingDown => true,
        null => IsUnreachable(error),
        _ => false,
    };

    /// <summary>No daemon answered: UNAVAILABLE with no refusal of the daemon's own (a transport failure).</summary>
    public static bool IsUnreachable(RpcException error) => error.StatusCode == StatusCode.Unavailable && Of(error).Reason is null;
}
