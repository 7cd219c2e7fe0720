using Engram.DaemonClient.Resilience;
using Grpc.Core;

namespace Engram.DaemonClient.Tests;

/// <summary>Why a call waits, told apart so a caller can tell its user: loading, unreachable, full.</summary>
public sealed class RetryNoticeTests
{
    [Fact]
    public void TheDaemonsOwnLoadingRefusal_IsModelLoading()
    {
        var refusal = new RpcException(new Status(StatusCode.Unavailable, "model 'default' is loading; retry shortly"));

        Assert.Equal(RetryReason.ModelLoading, RetryNotice.From(1, TimeSpan.Zero, refusal).Reason);
    }

    [Fact]
    public void NoConnection_IsDaemonUnreachable()
    {
        var refused = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", new HttpRequestException("Connection refused")));

        Assert.Equal(RetryReason.DaemonUnreachable, RetryNotice.From(1, TimeSpan.Zero, refused).Reason);
    }

    [Fact]
    public void AFullQueue_IsBackPressure()
    {
        var full = new RpcException(new Status(StatusCode.ResourceExhausted, "the queue of model 'default' is full (8 waiting)"));

        Assert.Equal(RetryReason.QueueFull, RetryNotice.From(2, TimeSpan.FromSeconds(1), full).Reason);
    }
}
