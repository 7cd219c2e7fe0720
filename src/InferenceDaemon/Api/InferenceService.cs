using Engram.Contract.V1;
using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Health;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>The engram.v1.Inference service: translates calls to the engine and the engine's outcomes to the wire.</summary>
internal sealed class InferenceService(GenerationEngine engine, HealthReporter health) : Inference.InferenceBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context)
    {
        var events = engine.RunAsync(ProtoMapping.ToRequest(request, context), context.CancellationToken);
        try
        {
            // This loop is the stream's only writer.
            await foreach (var item in events.WithCancellation(context.CancellationToken))
            {
                await responseStream.WriteAsync(ProtoMapping.ToResponse(item), context.CancellationToken);
                if (item is GenerationFinished { Reason: Engine.FinishReason.Error } failed)
                {
                    // The final message says what happened; the status tells clients that never read it.
                    throw new RpcException(new Status(StatusCode.Internal, $"generation failed: {failed.Error}"));
                }
            }
        }
        catch (GenerationRejectedException rejection)
        {
            throw StatusMapping.ToRpcException(rejection);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client cancelled, disconnected or passed its deadline; gRPC reports that status itself.
        }
    }

    public override Task<HealthReport> GetHealth(GetHealthRequest request, ServerCallContext context) =>
        Task.FromResult(health.Report());
}
