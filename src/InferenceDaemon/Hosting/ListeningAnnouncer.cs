using Engram.InferenceDaemon.Diagnostics;
using Engram.Inference.Health;
using Engram.Inference.Engine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Logs the address actually bound (port 0 resolves to a real port here) and the start-up summary.</summary>
internal sealed class ListeningAnnouncer(IServer server, IHostApplicationLifetime lifetime, ProfileCatalog catalog,
    Microsoft.Extensions.Options.IOptions<DaemonOptions> options, ILogger<ListeningAnnouncer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var daemon = options.Value;
            var metricsPort = daemon.Metrics is { Length: > 0 } metrics && ListenAddress.TryParse(metrics, out var m, out _) ? m.Port : -1;
            var openAiPort = daemon.OpenAiListen is { Length: > 0 } openAi && ListenAddress.TryParse(openAi, out var o, out _) ? o.Port : -1;
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                if (openAiPort > 0 && address.EndsWith($":{openAiPort}", StringComparison.Ordinal))
                {
                    DaemonLog.OpenAi(logger, address + "/v1");
                    continue;
                }
                if (metricsPort > 0 && address.EndsWith($":{metricsPort}", StringComparison.Ordinal))
                {
                    DaemonLog.Metrics(logger, address + "/metrics");
                    if (daemon.MetricsPublic && ListenAddress.TryParse(daemon.Metrics, out var reachable, out _) && !reachable.IsLocal)
                    {
                        DaemonLog.PublicMetrics(logger, address + "/metrics", daemon.MetricsRequiresToken ? ", with the bearer token" : ", without a token");
                    }
                    continue;
                }
                var transport = address.StartsWith("https://", StringComparison.Ordinal) ? "HTTP/2 over TLS"
                    : address.StartsWith("http://unix:", StringComparison.Ordinal) ? "HTTP/2 cleartext, unix socket"
                    : "HTTP/2 cleartext";
                DaemonLog.Listening(logger, HealthReporter.Version,
                    address.StartsWith("http://", StringComparison.Ordinal) ? address["http://".Length..] : address, transport);
            }
            ListenAddress.TryParse(daemon.Listen, out var listen, out _);
            if (!listen.IsLocal && (daemon.TlsCertificate is null || daemon.ResolveAuthToken() is null))
            {
                DaemonLog.Insecure(logger, daemon.Listen);
            }
            foreach (var profile in catalog.Profiles)
            {
                DaemonLog.Profile(logger, profile.Name, profile.Backend, profile.ModelPath, profile.MaxContextLen,
                    profile.MaxNewTokens, profile.QueueSize, profile.Name == catalog.DefaultProfile);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
