using Engram.Contract.V1;
using Engram.Inference.Engine;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>The one place where engine refusals become gRPC status codes and the machine-readable refusal trailers.</summary>
internal static class StatusMapping
{
    public static RpcException ToRpcException(GenerationRejectedException rejection)
    {
        var trailers = new Metadata { { RefusalTrailers.Reason, ReasonOf(rejection.Kind) } };
        if (rejection.ModelState is { } state)
        {
            trailers.Add(RefusalTrailers.ModelState, StateName(state));
        }
        if (rejection.Failure is { } failure)
        {
            trailers.Add(RefusalTrailers.FailureClass, failure.Class.ToString().ToLowerInvariant());
            trailers.Add(RefusalTrailers.FailureKind, failure.Kind);
        }
        return new RpcException(new Status(ToStatusCode(rejection.Kind), rejection.Message), trailers);
    }

    /// <summary>The status a generation the daemon ended as it stopped closes with, after its final message.</summary>
    public static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "the daemon is shutting down"), new Metadata { { RefusalTrailers.Reason, RefusalReasons.ShuttingDown } });

    public static StatusCode ToStatusCode(RejectionKind kind) => kind switch
    {
        RejectionKind.InvalidArgument => StatusCode.InvalidArgument,
        RejectionKind.ModelNotFound => StatusCode.NotFound,
        RejectionKind.ModelFailed => StatusCode.FailedPrecondition,
        RejectionKind.ModelLoading => StatusCode.Unavailable,
        RejectionKind.QueueFull => StatusCode.ResourceExhausted,
        RejectionKind.ShuttingDown => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    public static string ReasonOf(RejectionKind kind) => kind switch
    {
        RejectionKind.InvalidArgument => RefusalReasons.InvalidArgument,
        RejectionKind.ModelNotFound => RefusalReasons.ModelNotFound,
        RejectionKind.ModelFailed => RefusalReasons.ModelFailed,
        RejectionKind.ModelLoading => RefusalReasons.ModelLoading,
        RejectionKind.QueueFull => RefusalReasons.QueueFull,
        _ => RefusalReasons.ShuttingDown,
    };

    public static string StateName(Inference.Engine.ModelState state) => state switch
    {
        Inference.Engine.ModelState.NotLoaded => "not_loaded",
        _ => state.ToString().ToLowerInvariant(),
    };
}
