using Engram.Contract.V1;
using Engram.InferenceDaemon.Diagnostics;
using Engram.Inference.Engine;
using Engram.Inference.Health;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>The engram.v1.Inference service: translates calls to the engine and the engine's outcomes to the wire.</summary>
internal sealed class InferenceService(GenerationEngine engine, HealthReporter health, EngramMetrics metrics) : Contract.V1.Inference.InferenceBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context)
    {
        var events = engine.RunAsync(ProtoMapping.ToRequest(request, context), context.CancellationToken);
        var model = request.Model is { Length: > 0 } m ? m : "default";
        try
        {
            // This loop is the stream's only writer.
            await foreach (var item in events.WithCancellation(context.CancellationToken))
            {
                if (item is RequestAccepted accepted)
                {
                    model = accepted.Model;
                }
                await responseStream.WriteAsync(ProtoMapping.ToResponse(item), context.CancellationToken);
                if (item is GenerationFinished finished)
                {
                    var failed = finished.Reason == Inference.Engine.FinishReason.Error;
                    metrics.RequestEnded(model, finished.Reason, finished.Timings, failed ? nameof(StatusCode.Internal) : nameof(StatusCode.OK));
                    if (failed)
                    {
                        // The final message says what happened; the status tells clients that never read it.
                        throw new RpcException(new Status(StatusCode.Internal, $"generation failed: {finished.Error}"));
                    }
                }
            }
        }
        catch (GenerationRejectedException rejection)
        {
            var error = StatusMapping.ToRpcException(rejection);
            metrics.RequestRefused(model, error.StatusCode.ToString());
            throw error;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client cancelled, disconnected or passed its deadline; gRPC reports that status itself.
            metrics.RequestCancelled(model);
        }
    }

    public override Task<HealthReport> GetHealth(GetHealthRequest request, ServerCallContext context) =>
        Task.FromResult(HealthMapping.ToProto(health.Snapshot()));
}
