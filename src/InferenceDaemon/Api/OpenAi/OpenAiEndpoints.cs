using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Engram.InferenceDaemon.Api.OpenAi;

/// <summary>
/// The /v1 routes, answered only on connections that arrived on the OpenAI listener (the listener tags them), with
/// the bearer token in the standard Authorization header when one is configured.
/// </summary>
internal static class OpenAiEndpoints
{
    private const string ConnectionTag = "engram.openai-listener";

    /// <summary>Marks every connection of this listener as an OpenAI-door connection.</summary>
    public static void TagConnections(ListenOptions listener) => listener.Use(next => connection =>
    {
        connection.Items[ConnectionTag] = true;
        return next(connection);
    });

    public static bool IsOpenAiConnection(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionTag) == true;

    /// <summary>
    /// Keeps the listeners apart: on the OpenAI port only /v1 is served (no gRPC service, no metrics), and /v1 is
    /// never served on the others, whatever path or Host header a request carries.
    /// </summary>
    public static IApplicationBuilder UseListenerSeparation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var isV1 = http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal);
        if (isV1 != IsOpenAiConnection(http))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await next(http);
    });

    public static WebApplication MapOpenAi(this WebApplication app, BearerToken? token)
    {
        var v1 = app.MapGroup("/v1");
        if (token is not null)
        {
            v1.AddEndpointFilter(async (context, next) =>
            {
                if (token.Matches(context.HttpContext.Request.Headers.Authorization))
                {
                    return await next(context);
                }
                await OpenAiError.Unauthorized().WriteAsync(context.HttpContext.Response, context.HttpContext.RequestAborted);
                return Results.Empty;
            });
        }
        v1.MapPost("/chat/completions", (HttpContext http, OpenAiService service) => service.ChatCompletionsAsync(http));
        v1.MapPost("/completions", (HttpContext http, OpenAiService service) => service.CompletionsAsync(http));
        v1.MapGet("/models", (HttpContext http, OpenAiService service) => service.ModelsAsync(http));
        v1.MapGet("/models/{id}", (HttpContext http, string id, OpenAiService service) => service.ModelAsync(http, id));
        return app;
    }
}
