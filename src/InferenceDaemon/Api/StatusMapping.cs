using Engram.Inference.Engine;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>The one place where engine refusals become gRPC status codes.</summary>
internal static class StatusMapping
{
    public const string FailureClassTrailer = "engram-failure-class";
    public const string FailureKindTrailer = "engram-failure-kind";

    public static RpcException ToRpcException(GenerationRejectedException rejection)
    {
        var trailers = new Metadata();
        if (rejection.Failure is { } failure)
        {
            // Clients branch on these rather than parsing the message.
            trailers.Add(FailureClassTrailer, failure.Class.ToString().ToLowerInvariant());
            trailers.Add(FailureKindTrailer, failure.Kind);
        }
        return new RpcException(new Status(ToStatusCode(rejection.Kind), rejection.Message), trailers);
    }

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
