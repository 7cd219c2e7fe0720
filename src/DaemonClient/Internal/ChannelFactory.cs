using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engram.DaemonClient.Internal;

/// <summary>
/// Builds the one gRPC channel of a client: TLS and a bearer token when configured, a unix socket when asked,
/// HTTP/2 keepalive pings, and for several daemons grpc-dotnet's own static resolver with Engram's
/// health-aware balancer policy (per-address breakers and grpc.health.v1 status decide among connected daemons).
/// </summary>
internal static class ChannelFactory
{
    /// <summary>The key the balancer and the registry know an address by: host:port.</summary>
    public static string EndpointKey(string address) => Normalize(address) is var uri ? $"{uri.Host}:{uri.Port}" : address;

    public static GrpcChannel Create(DaemonClientOptions options, Balancing.EndpointHealthRegistry? endpoints = null)
    {
        var addresses = options.AllAddresses.Select(Normalize).ToArray();
        var secure = addresses.Any(a => a.Scheme == Uri.UriSchemeHttps);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (options.TrustedCertificatePath is { } trusted)
        {
            var anchor = X509Certificate2.CreateFromPem(File.ReadAllText(trusted));
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    errors == SslPolicyErrors.None || (certificate is not null && chain is not null && TrustedBy(anchor, certificate, chain)),
            };
        }
        var unix = options.AllAddresses.FirstOrDefault(a => a.StartsWith("unix:", StringComparison.Ordinal));
        if (unix is not null)
        {
            var path = unix["unix:".Length..].TrimStart('/');
            var endpoint = new UnixDomainSocketEndPoint("/" + path);
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endpoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // A restarted daemon is back within seconds: do not sit out minutes of reconnect backoff.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        };
        if (options.BearerToken is { } token)
        {
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return Task.CompletedTask;
            });
            channelOptions.Credentials = ChannelCredentials.Create(secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials);
            // A token over cleartext is only sent to loopback or a unix socket (the daemon refuses other cleartext listeners).
            channelOptions.UnsafeUseInsecureChannelCallCredentials = !secure;
        }
        if (addresses.Length == 1)
        {
            return GrpcChannel.ForAddress(addresses[0], channelOptions);
        }

        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses.Select(a => new BalancerAddress(a.Host, a.Port))));
        var roundRobin = options.LoadBalancing == "round_robin";
        if (endpoints is not null)
        {
            services.AddSingleton<LoadBalancerFactory>(new Balancing.HealthAwareLoadBalancerFactory(endpoints, roundRobin));
        }
        channelOptions.ServiceProvider = services.BuildServiceProvider();
        channelOptions.ServiceConfig = new ServiceConfig
        {
            LoadBalancingConfigs =
            {
                endpoints is not null ? new LoadBalancingConfig(Balancing.HealthAwareLoadBalancer.PolicyName)
                    : roundRobin ? new RoundRobinConfig() : new PickFirstConfig(),
            },
        };
        if (secure)
        {
            channelOptions.Credentials ??= ChannelCredentials.SecureSsl;
        }
        else
        {
            channelOptions.Credentials ??= ChannelCredentials.Insecure;
        }
        return GrpcChannel.ForAddress("static:///engram-daemons", channelOptions);
    }

    private static Uri Normalize(string address) => address.StartsWith("unix:", StringComparison.Ordinal)
        ? new Uri("http://localhost")
        : new Uri(address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address);

    private static bool TrustedBy(X509Certificate2 anchor, X509Certificate certificate, X509Chain chain)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(anchor);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }
}
