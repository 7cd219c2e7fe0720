using System.Runtime.CompilerServices;
using Engram.Contract.V1;
using Engram.DaemonClient.Balancing;
using Engram.DaemonClient.Internal;
using Engram.DaemonClient.Resilience;
using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.CircuitBreaker;

namespace Engram.DaemonClient;

/// <summary>
/// The client every Engram program uses to talk to engram-daemon: typed generation events, retries only
/// until a stream is committed, a circuit breaker, timeouts, keepalive pings, TLS and a bearer token.
/// </summary>
public sealed class EngramDaemonClient : IDisposable, IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Inference.InferenceClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly EndpointHealthRegistry? _endpoints;
    private readonly List<EndpointHealthWatcher> _watchers = [];

    public EngramDaemonClient(DaemonClientOptions options) : this(options, TimeProvider.System)
    {
    }

    public EngramDaemonClient(DaemonClientOptions options, TimeProvider time)
    {
        options.Validate();
        Options = options;
        if (options.AllAddresses.Count > 1)
        {
            // Several boards: a breaker per address and each daemon's health decide where calls go.
            var keys = options.AllAddresses.Select(ChannelFactory.EndpointKey).ToArray();
            _endpoints = new EndpointHealthRegistry(keys, options.BreakerMinimumThroughput, options.BreakDuration, time);
            foreach (var (address, key) in options.AllAddresses.Zip(keys))
            {
                _watchers.Add(new EndpointHealthWatcher(ChannelFactory.Create(options with { Addresses = [], Address = address }), key, _endpoints));
            }
        }
        _channel = ChannelFactory.Create(options, _endpoints);
        _client = new Inference.InferenceClient(_channel);
        _pipeline = ClientPipeline.Create(options, _breaker, time, breakerPerAddress: _endpoints is not null);
    }

    public DaemonClientOptions Options { get; }

    /// <summary>The breaker's state, for callers that report it honestly (closed, open, half-open). One daemon only; see <see cref="Endpoints"/>.</summary>
    public CircuitState BreakerState => _breaker.CircuitState;

    /// <summary>With several daemons: each address's health and breaker, in configured order (empty for one daemon).</summary>
    public IReadOnlyList<EndpointStatus> Endpoints => _endpoints?.Snapshot() ?? [];

    /// <summary>
    /// Streams one generation as typed updates, ending with its <see cref="GenerationCompleted"/>. Before the daemon
    /// accepts it, transient failures are retried (with backoff); a refusal (bad request, unknown or failed model)
    /// throws <see cref="RpcException"/> at once; an open breaker throws <see cref="BrokenCircuitException"/>.
    /// Once accepted, a broken stream throws <see cref="StreamInterruptedException"/> and is not replayed, with
    /// one exception that loses nothing: a request the daemon ended while it was still queued because it was
    /// shutting down is sent again (on another daemon where there is one), and a second
    /// <see cref="GenerationAccepted"/> follows. <paramref name="onRetry"/> hears of each retry (daemon unreachable,
    /// model loading, queue full, daemon stopping), so a caller can tell its user why it waits.
    /// </summary>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(
        GenerateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default, DateTime? deadline = null,
        Action<RetryNotice>? onRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (call, first, address) = await OpenCommittedAsync(request, deadline, onRetry, cancellationToken);
            using (call)
            {
                yield return GenerationUpdate.From(first);
                var delivered = 0;
                while (true)
                {
                    GenerateResponse response;
                    try
                    {
                        if (!await call.ResponseStream.MoveNext(cancellationToken))
                        {
                            yield break;
                        }
                        response = call.ResponseStream.Current;
                    }
                    catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Unknown && !cancellationToken.IsCancellationRequested)
                    {
                        Charge(address, success: false);
                        throw new StreamInterruptedException(delivered, ex);
                    }
                    if (response.EventCase == GenerateResponse.EventOneofCase.Token)
                    {
                        delivered = response.Token.TokensSoFar;
                    }
                    if (response.EventCase == GenerateResponse.EventOneofCase.Finished)
                    {
                        if (delivered == 0 && attempt <= Options.MaxRetries && response.Finished.Reason == FinishReason.Cancelled
                            && await EndedByShutdownAsync(call, address, cancellationToken))
                        {
                            onRetry?.Invoke(new RetryNotice(attempt, TimeSpan.Zero, RetryReason.DaemonShuttingDown, response.Finished.Error));
                            break; // nothing was delivered: ask again
                        }
                        // The final message is the end; a status after it (INTERNAL for an error, UNAVAILABLE at shutdown) only repeats it.
                        yield return GenerationUpdate.From(response);
                        yield break;
                    }
                    yield return GenerationUpdate.From(response);
                }
            }
        }
    }

    // Opens the call through the resilience pipeline: retried until the daemon accepts it (the stream is committed).
    private async Task<(AsyncServerStreamingCall<GenerateResponse>, GenerateResponse, string?)> OpenCommittedAsync(
        GenerateRequest request, DateTime? deadline, Action<RetryNotice>? onRetry, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (onRetry is not null)
        {
            context.Properties.Set(ClientPipeline.RetryObserver, onRetry);
        }
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Self.OpenAsync(state.request, state.deadline, ctx.CancellationToken, state.cancellationToken),
                context, (Self: this, request, deadline, cancellationToken));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // After a final message: did the daemon end this call because it is stopping (its closing status's trailers say so)?
    private async Task<bool> EndedByShutdownAsync(AsyncServerStreamingCall<GenerateResponse> call, string? address, CancellationToken cancellationToken)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
            }
            return false;
        }
        catch (RpcException ex) when (Refusal.Of(ex).Reason == RefusalReasons.ShuttingDown)
        {
            if (address is not null)
            {
                _endpoints?.SetServing(address, false);
            }
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    // One attempt: open the call and wait for its first message. The attempt's token (timeouts, retries)
    // governs only this part; the call itself lives on the caller's token. With several daemons the outcome
    // is charged to the address the balancer picked.
    private async Task<(AsyncServerStreamingCall<GenerateResponse>, GenerateResponse, string?)> OpenAsync(
        GenerateRequest request, DateTime? deadline, CancellationToken attempt, CancellationToken caller)
    {
        var picked = _endpoints is null ? null : CallAddress.Begin();
        var lifetime = CancellationTokenSource.CreateLinkedTokenSource(caller);
        var call = _client.Generate(request, deadline: deadline, cancellationToken: lifetime.Token);
        try
        {
            using (attempt.Register(static state => ((CancellationTokenSource)state!).Cancel(), lifetime))
            {
                if (!await call.ResponseStream.MoveNext(lifetime.Token))
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "the daemon ended the stream before accepting it"));
                }
            }
            Charge(picked?.Address, success: true);
            return (call, call.ResponseStream.Current, picked?.Address);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && attempt.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            call.Dispose();
            Charge(picked?.Address, success: false);
            throw new Polly.Timeout.TimeoutRejectedException("the daemon did not accept the stream within the attempt timeout", ex);
        }
        catch (RpcException ex)
        {
            call.Dispose();
            // Only a daemon that is unreachable counts against its address; a refusal of the request does not. A daemon
            // that is stopping is steered around at once (its health watch will say the same a moment later).
            if (Refusal.IsUnreachable(ex))
            {
                Charge(picked?.Address, success: false);
            }
            else if (Refusal.Of(ex).Reason == RefusalReasons.ShuttingDown && picked?.Address is { } stopping)
            {
                _endpoints?.SetServing(stopping, false);
            }
            throw;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private void Charge(string? address, bool success)
    {
        if (_endpoints is null || address is null)
        {
            return;
        }
        if (success)
        {
            _endpoints.RecordSuccess(address);
        }
        else
        {
            _endpoints.RecordFailure(address);
        }
    }

    public async Task<HealthReport> GetHealthAsync(CancellationToken cancellationToken = default) =>
        await _client.GetHealthAsync(new GetHealthRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);

    /// <summary>
    /// Polls Health until the default model is ready (returns the report) or has failed (throws); an
    /// unreachable daemon counts as not ready yet.
    /// </summary>
    public async Task<HealthReport> WaitForDefaultModelAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        TimeoutException NotReady() =>
            new($"the daemon at {string.Join(", ", Options.AllAddresses)} did not report its default model ready within {timeout}");
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
                        $"model '{model.Name}' failed to load ({model.FailureClass}/{model.FailureKind}): {model.Detail}; remedy: {model.Remedy}");
                }
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && !limit.IsCancellationRequested)
            {
            }
            catch (RpcException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw NotReady();
            }
            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw NotReady();
            }
        }
    }

    /// <summary>Closes the channel; health watchers (several daemons) stop in the background, without blocking the caller.</summary>
    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Stop();
        }
        _channel.Dispose();
    }

    /// <summary>Closes the channel once every health watcher has stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var watcher in _watchers)
        {
            await watcher.DisposeAsync();
        }
        _channel.Dispose();
    }
}
