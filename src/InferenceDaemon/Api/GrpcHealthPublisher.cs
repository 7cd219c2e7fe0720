using Engram.Inference.Engine;
using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// Keeps grpc.health.v1 in step with the models: the overall service ("") and <c>engram.v1.Inference</c> are
/// SERVING only while the default model is ready; each model also has its own service name
/// <c>engram.v1.Inference/MODEL</c>.
/// </summary>
internal sealed class GrpcHealthPublisher(ModelRegistry registry, HealthServiceImpl health) : IHostedService
{
    public const string InferenceService = "engram.v1.Inference";

    public static string ServiceNameOf(string model) => $"{InferenceService}/{model}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in registry.Slots)
        {
            slot.StateChanged += Publish;
            Publish(slot);
        }
        return Task.CompletedTask;
    }

    private void Publish(ModelSlot slot)
    {
        health.SetStatus(ServiceNameOf(slot.Profile.Name), StatusOf(slot));
        if (slot == registry.Default)
        {
            var status = StatusOf(slot);
            health.SetStatus("", status);
            health.SetStatus(InferenceService, status);
        }
    }

    private static HealthCheckResponse.Types.ServingStatus StatusOf(ModelSlot slot) =>
        slot.State == ModelState.Ready ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in registry.Slots)
        {
            slot.StateChanged -= Publish;
        }
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
        return Task.CompletedTask;
    }
}
