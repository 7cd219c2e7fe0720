using Engram.Contract.V1;
using Engram.DaemonClient.Resilience;
using Grpc.Core;

namespace Engram.DaemonClient.Tests;

/// <summary>Why a call waits, told apart from the daemon's trailers (never its message), so a caller can tell its user.</summary>
public sealed class RetryNoticeTests
{
    private static RpcException Refused(StatusCode code, string reason, string message, string? state = null)
    {
        var trailers = new Metadata { { RefusalTrailers.Reason, reason } };
        if (state is not null)
        {
            trailers.Add(RefusalTrailers.ModelState, state);
        }
        return new RpcException(new Status(code, message), trailers);
    }

    [Theory]
    [InlineData("validating")]
    [InlineData("loading")]
    public void TheDaemonsOwnLoadingRefusal_IsModelLoading_WhateverItsMessageSays(string state)
    {
        var refusal = Refused(StatusCode.Unavailable, RefusalReasons.ModelLoading, $"model 'default' is {state}; retry shortly", state);

        Assert.Equal(RetryReason.ModelLoading, RetryNotice.From(1, TimeSpan.Zero, refusal).Reason);
        Assert.True(Refusal.IsRetryable(refusal));
        Assert.False(Refusal.IsUnreachable(refusal));
    }

    [Fact]
    public void NoConnection_IsDaemonUnreachable_NotRestarting()
    {
        var refused = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", new HttpRequestException("Connection refused")));

        Assert.Equal(RetryReason.DaemonUnreachable, RetryNotice.From(1, TimeSpan.Zero, refused).Reason);
        Assert.True(Refusal.IsRetryable(refused));
        Assert.True(Refusal.IsUnreachable(refused));
    }

    [Fact]
    public void AFullQueue_IsBackPressure()
    {
        var full = Refused(StatusCode.ResourceExhausted, RefusalReasons.QueueFull, "the queue of model 'default' is full (8 waiting)");

        Assert.Equal(RetryReason.QueueFull, RetryNotice.From(2, TimeSpan.FromSeconds(1), full).Reason);
        Assert.True(Refusal.IsRetryable(full));
    }

    [Fact]
    public void AMessageOverGrpcsSizeLimit_IsNotAFullQueue_AndIsNotRetried()
    {
        // RESOURCE_EXHAUSTED from gRPC itself carries no refusal of the engine's.
        var tooLarge = new RpcException(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));

        Assert.False(Refusal.IsRetryable(tooLarge));
    }

    [Fact]
    public void AStoppingDaemon_IsRetried_AsShuttingDown()
    {
        var stopping = Refused(StatusCode.Unavailable, RefusalReasons.ShuttingDown, "the daemon is shutting down");

        Assert.Equal(RetryReason.DaemonShuttingDown, RetryNotice.From(1, TimeSpan.Zero, stopping).Reason);
        Assert.True(Refusal.IsRetryable(stopping));
        Assert.False(Refusal.IsUnreachable(stopping));
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, RefusalReasons.InvalidArgument)]
    [InlineData(StatusCode.FailedPrecondition, RefusalReasons.ModelFailed)]
    [InlineData(StatusCode.NotFound, RefusalReasons.ModelNotFound)]
    public void ARefusalOfTheRequest_IsNotRetried(StatusCode code, string reason)
    {
        Assert.False(Refusal.IsRetryable(Refused(code, reason, "no")));
    }
}
