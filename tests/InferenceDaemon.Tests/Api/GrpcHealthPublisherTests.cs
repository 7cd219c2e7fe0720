using Engram.Inference.Engine;
using Engram.InferenceDaemon.Api;
using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using Grpc.HealthCheck;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Engram.InferenceDaemon.Tests.Api;

/// <summary>grpc.health.v1 follows the default model through its life: NOT_SERVING until it is ready.</summary>
public sealed class GrpcHealthPublisherTests
{
    private static ModelProfile Profile(string name) => new()
    {
        Name = name,
        ModelPath = $"/{name}.gguf",
        Backend = BackendNames.Llama,
        MaxContextLen = 512,
        DefaultMaxNewTokens = 64,
        MaxNewTokens = 128,
        Threads = 1,
        QueueSize = 1,
        DefaultSampling = new SamplingSettings(0.7f, 40, 0.9f, null),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<ServingStatus> StatusOf(HealthServiceImpl health, string service) =>
        (await health.Check(new HealthCheckRequest { Service = service }, null!)).Status;

    [Fact]
    public async Task DefaultModel_IsNotServingWhileLoadingAndServingOnceReady()
    {
        var registry = new ModelRegistry(new ProfileCatalog([Profile("main"), Profile("other")], "main"), TimeProvider.System);
        var health = new HealthServiceImpl();
        using var lifetime = new StoppableLifetime();
        var publisher = new GrpcHealthPublisher(registry, health, lifetime);
        await publisher.StartAsync(CancellationToken.None);

        registry.Default.MarkLoading();
        var whileLoading = await StatusOf(health, "");
        registry.Default.MarkReady(new NoModel(), TimeSpan.FromMilliseconds(5));
        var whenReady = await StatusOf(health, "");
        var otherStillLoading = await StatusOf(health, "engram.v1.Inference/other");
        registry.Default.MarkFailed(new ModelFailure(FailureClass.Runtime, "native_error", "crashed", "restart"));
        var whenFailed = await StatusOf(health, "engram.v1.Inference");
        registry.Default.MarkReady(new NoModel(), TimeSpan.FromMilliseconds(5));
        var readyAgain = await StatusOf(health, "");
        lifetime.Stop();
        var whenStopping = await StatusOf(health, "");

        Assert.Equal(ServingStatus.NotServing, whileLoading);
        Assert.Equal(ServingStatus.Serving, whenReady);
        Assert.Equal(ServingStatus.NotServing, otherStillLoading);
        Assert.Equal(ServingStatus.NotServing, whenFailed);
        Assert.Equal(ServingStatus.Serving, readyAgain);
        Assert.Equal(ServingStatus.NotServing, whenStopping); // the moment the daemon begins to stop
    }

    private sealed class NoModel : ILoadedModel
    {
        public int ContextLength => 256;
        public long MaxPromptBytes => 1024;
        public RuntimeFacts? Runtime => null;
        public ContextUsage Context => ContextUsage.Empty(ContextLength);
        public PreparedPrompt Prepare(PromptInput input) => throw new NotSupportedException();
        public IAsyncEnumerable<BackendEvent> GenerateAsync(PreparedPrompt prompt, SamplingSettings sampling, int maxNewTokens, CancellationToken cancellationToken)
            => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class StoppableLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => _stopping.Cancel();
        public void Stop() => _stopping.Cancel();
        public void Dispose() => _stopping.Dispose();
    }
}
