using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Engram.DaemonClient.Balancing;

/// <summary>
/// Follows one daemon's grpc.health.v1 Watch stream (service "": SERVING once its default model is ready) and
/// keeps the registry up to date, so the picker steers new calls away from a board whose model failed or is
/// loading. A broken stream means "unknown" until the daemon answers again; connectivity is the balancer's job.
/// </summary>
internal sealed class EndpointHealthWatcher : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel _channel;
    private readonly EndpointHealthRegistry _registry;
    private readonly string _address;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EndpointHealthWatcher(GrpcChannel channel, string address, EndpointHealthRegistry registry)
    {
        _channel = channel;
        _address = address;
        _registry = registry;
        _loop = Task.Run(() => WatchAsync(_stop.Token));
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var client = new Health.HealthClient(_channel);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = client.Watch(new HealthCheckRequest { Service = "" }, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    _registry.SetServing(_address, update.Status == HealthCheckResponse.Types.ServingStatus.Serving);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                _registry.SetServing(_address, null); // a daemon without health reporting: judged by its answers alone
                return;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                _registry.SetServing(_address, null);
            }
            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops watching without waiting: the channel is released once the loop has ended.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _loop.ContinueWith(static (_, state) => ((EndpointHealthWatcher)state!).Release(), this, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Release();
    }

    private void Release()
    {
        _channel.Dispose();
        _stop.Dispose();
    }
}
