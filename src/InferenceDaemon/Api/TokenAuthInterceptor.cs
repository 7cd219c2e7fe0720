using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// Every call must carry <c>authorization: Bearer TOKEN</c> when the daemon has a token; otherwise UNAUTHENTICATED.
/// grpc.health.v1 is the exception unless <c>health_requires_token</c> is set: probes that cannot send headers
/// must still see liveness, and it says nothing but SERVING or NOT_SERVING.
/// </summary>
internal sealed class TokenAuthInterceptor(BearerToken token, bool healthRequiresToken) : Interceptor
{
    private const string HealthService = "/grpc.health.v1.Health/";

    private void Check(ServerCallContext context)
    {
        if (!healthRequiresToken && context.Method.StartsWith(HealthService, StringComparison.Ordinal))
        {
            return;
        }
        var presented = context.RequestHeaders.GetValue("authorization");
        if (!token.Matches(presented))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                presented is null ? "a bearer token is required (authorization: Bearer TOKEN)" : "the bearer token is not valid"));
        }
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }
}
