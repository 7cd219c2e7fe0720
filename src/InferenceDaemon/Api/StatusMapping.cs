using Engram.InferenceDaemon.Engine;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>The one place where engine refusals become gRPC status codes.</summary>
internal static class StatusMapping
{
    public static RpcException ToRpcException(GenerationRejectedException rejection) =>
        new(new Status(ToStatusCode(rejection.Kind), rejection.Message));

    public static StatusCode ToStatusCode(RejectionKind kind) => kind switch
    {
        RejectionKind.InvalidArgument => StatusCode.InvalidArgument,
        RejectionKind.ModelNotFound => StatusCode.NotFound,
        RejectionKind.ModelFailed => StatusCode.FailedPrecondition,
        RejectionKind.ModelUnavailable => StatusCode.Unavailable,
        RejectionKind.QueueFull => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };
}
