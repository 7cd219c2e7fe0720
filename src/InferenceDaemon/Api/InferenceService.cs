using Engram.Contract.V1;
using Engram.Inference.Engine;
using Engram.Inference.Health;
using Engram.InferenceDaemon.Diagnostics;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// The engram.v1.Inference service: translates calls to the engine and the engine's outcomes to the wire. It is
/// the stream's only writer, and it ends the call when the engine gives up on a client that stopped reading.
/// </summary>
internal sealed class InferenceService(GenerationEngine engine, HealthReporter health, EngramMetrics metrics) : InferenceServiceBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context)
    {
        GenerationStream generation;
        try
        {
            generation = await engine.StartAsync(ProtoMapping.ToRequest(request, context), context.CancellationToken);
        }
        catch (GenerationRejectedException rejection)
        {
            var error = StatusMapping.ToRpcException(rejection);
            metrics.RequestRefused(rejection.Profile, error.StatusCode.ToString());
            throw error;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            metrics.RequestCancelled(null); // the caller left while its request waited to be tokenized
            return;
        }

        await using (generation)
        {
            // A client that stopped reading holds a blocked write: ending the call releases it (HTTP/2 RST_STREAM).
            var http = context.GetHttpContext();
            using var abandon = generation.Abandoned.Register(static state => ((HttpContext)state!).Abort(), http);
            string? model = null;
            try
            {
                await foreach (var item in generation.ReadAllAsync(context.CancellationToken))
                {
                    if (item is RequestAccepted accepted)
                    {
                        model = accepted.Model;
                    }
                    await responseStream.WriteAsync(ProtoMapping.ToResponse(item), context.CancellationToken);
                    if (item is GenerationFinished finished)
                    {
                        Ended(model, finished);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException
                                       && (context.CancellationToken.IsCancellationRequested || generation.Abandoned.IsCancellationRequested))
            {
                // The client cancelled, disconnected, passed its deadline or stopped reading; gRPC reports the status itself.
                metrics.RequestCancelled(model);
            }
        }
    }

    private void Ended(string? model, GenerationFinished finished)
    {
        var failed = finished.Reason == Inference.Engine.FinishReason.Error;
        var status = failed ? StatusCode.Internal : finished.ShuttingDown ? StatusCode.Unavailable : StatusCode.OK;
        metrics.RequestEnded(model, finished.Reason, finished.Timings, status.ToString());
        if (failed)
        {
            // The final message says what happened; the status tells clients that never read it.
            throw new RpcException(new Status(StatusCode.Internal, $"generation failed: {finished.Error}"));
        }
        if (finished.ShuttingDown)
        {
            throw StatusMapping.ShuttingDown();
        }
    }

    public override Task<HealthReport> GetHealth(GetHealthRequest request, ServerCallContext context) =>
        Task.FromResult(HealthMapping.ToProto(health.Snapshot()));
}
