using Grpc.Core;

namespace Engram.DaemonClient;

/// <summary>
/// A stream that had already been accepted broke (the daemon died, the connection dropped). It is never
/// replayed behind the caller's back: what was delivered stands, and the caller decides what to tell the user.
/// </summary>
public sealed class StreamInterruptedException(int tokensDelivered, RpcException cause)
    : Exception($"the generation stream broke after {tokensDelivered} tokens: {cause.Status.StatusCode} ({cause.Status.Detail})", cause)
{
    public int TokensDelivered { get; } = tokensDelivered;

    public StatusCode StatusCode => cause.StatusCode;
}
