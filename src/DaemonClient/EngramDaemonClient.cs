using System.Runtime.CompilerServices;
using Engram.Contract.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Engram.DaemonClient;

/// <summary>The client every Engram program uses to talk to engram-daemon.</summary>
public sealed class EngramDaemonClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Inference.InferenceClient _client;

    public EngramDaemonClient(DaemonClientOptions options)
    {
        Options = options;
        _channel = GrpcChannel.ForAddress(options.AddressUri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                // A dead daemon is noticed within seconds rather than at the next TCP timeout.
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            },
        });
        _client = new Inference.InferenceClient(_channel);
    }

    public DaemonClientOptions Options { get; }

    /// <summary>Streams one generation as typed updates; a refusal surfaces as <see cref="RpcException"/>.</summary>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(
        GenerateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default, DateTime? deadline = null)
    {
        using var call = _client.Generate(request, deadline: deadline, cancellationToken: cancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return GenerationUpdate.From(response);
        }
    }

    public async Task<HealthReport> GetHealthAsync(CancellationToken cancellationToken = default) =>
        await _client.GetHealthAsync(new GetHealthRequest(), cancellationToken: cancellationToken);

    /// <summary>
    /// Polls Health until the default model is ready (returns the report) or has failed (throws), the
    /// daemon being unreachable meanwhile counts as not ready yet.
    /// </summary>
    public async Task<HealthReport> WaitForDefaultModelAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            try
            {
                var report = await GetHealthAsync(limit.Token);
                var model = report.Models.FirstOrDefault(m => m.IsDefault);
                if (model?.State == ModelState.Ready)
                {
                    return report;
                }
                if (model?.State == ModelState.Failed)
                {
                    throw new InvalidOperationException(
                        $"model '{model.Name}' failed to load ({model.FailureClass}): {model.Detail}; remedy: {model.Remedy}");
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && !limit.IsCancellationRequested)
            {
            }
            catch (RpcException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the daemon at {Options.Address} did not report its default model ready within {timeout}");
            }
            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the daemon at {Options.Address} did not report its default model ready within {timeout}");
            }
        }
    }

    public void Dispose() => _channel.Dispose();
}
