using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// Prometheus metrics at <c>/metrics</c>, answered only on connections that arrived on the metrics listener (the
/// listener tags them), never on the gRPC port whatever Host header a request carries; and only with the
/// bearer token when <c>metrics_requires_token</c> is set.
/// </summary>
internal static class MetricsEndpoint
{
    private const string ConnectionTag = "engram.metrics-listener";

    /// <summary>Marks every connection of this listener as a metrics connection.</summary>
    public static void TagConnections(ListenOptions listener) => listener.Use(next => connection =>
    {
        connection.Items[ConnectionTag] = true;
        return next(connection);
    });

    public static IEndpointConventionBuilder MapEngramMetrics(this WebApplication app, CollectorRegistry registry, BearerToken? requiredToken) =>
        app.MapGet("/metrics", async context =>
        {
            if (context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionTag) != true)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (requiredToken is not null && !requiredToken.Matches(context.Request.Headers.Authorization))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}
