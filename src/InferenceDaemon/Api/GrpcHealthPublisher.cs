using Engram.Inference.Engine;
using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// Keeps grpc.health.v1 in step with the models: the overall service ("") and <c>engram.v1.Inference</c> are
/// SERVING only while the default model is ready; each model also has its own service name
/// <c>engram.v1.Inference/MODEL</c>. The moment the daemon begins to stop, everything is NOT_SERVING, so load
/// balancers and clients with several boards move on while it drains.
/// </summary>
internal sealed class GrpcHealthPublisher(ModelRegistry registry, HealthServiceImpl health, IHostApplicationLifetime lifetime) : IHostedService
{
    private volatile bool _stopping;

    public const string InferenceService = "engram.v1.Inference";

    public static string ServiceNameOf(string model) => $"{InferenceService}/{model}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in registry.Slots)
        {
            slot.StateChanged += Publish;
            Publish(slot);
        }
        lifetime.ApplicationStopping.Register(NotServing);
        return Task.CompletedTask;
    }

    private void NotServing()
    {
        _stopping = true;
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
        health.SetStatus(InferenceService, HealthCheckResponse.Types.ServingStatus.NotServing);
        foreach (var slot in registry.Slots)
        {
            health.SetStatus(ServiceNameOf(slot.Profile.Name), HealthCheckResponse.Types.ServingStatus.NotServing);
        }
    }

    private void Publish(ModelSlot slot)
    {
        if (_stopping)
        {
            return;
        }
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
