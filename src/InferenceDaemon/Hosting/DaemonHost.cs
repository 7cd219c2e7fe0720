using System.Security.Cryptography.X509Certificates;
using Engram.Inference.Health;
using Engram.InferenceDaemon.Api;
using Engram.InferenceDaemon.Api.OpenAi;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// The daemon's composition root: binds and validates <see cref="DaemonOptions"/> once, refuses to build when
/// they are invalid (every problem listed) or the state directory is another daemon's, and builds the web host.
/// </summary>
public static class DaemonHost
{
    public static WebApplication Build(IReadOnlyList<string> configurationArgs, Action<IConfigurationBuilder>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // appsettings.json lives beside the binary, wherever the daemon is started from.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // An operator's file (/etc/engram/daemon.json under systemd) sits above appsettings.json and below the environment.
        if (Environment.GetEnvironmentVariable("ENGRAM_CONFIG") is { Length: > 0 } configFile)
        {
            builder.Configuration.AddJsonFile(configFile, optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
        }
        builder.Configuration.AddCommandLine(configurationArgs.ToArray());
        overrides?.Invoke(builder.Configuration);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
        });

        // Bound once and validated once, here; everything else reads this instance (IOptions<DaemonOptions>).
        var options = builder.Configuration.GetSection(DaemonOptions.Section).Get<DaemonOptions>() ?? new DaemonOptions();
        var validation = new DaemonOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(DaemonOptions.Section, typeof(DaemonOptions), validation.Failures);
        }
        var authToken = options.ResolveAuthToken() is { } token ? new BearerToken(token) : null;
        StateDirectoryLock stateLock;
        try
        {
            stateLock = StateDirectoryLock.Acquire(options.ResolveStateDirectory());
        }
        catch (StateDirectoryInUseException ex)
        {
            throw new StartupFailureException(ex.Message, ex);
        }
        builder.Services.AddSingleton(stateLock); // released when the host is disposed, or by the kernel when the process dies

        // Running generations get the grace, then are ended with a final message; the rest of shutdown is quick.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownGraceSeconds + 2));
        ConfigureEndpoints(builder, options);
        builder.Services.AddEngramDaemon(options, authToken);
        var app = builder.Build();
        app.MapEngramDaemon(authToken);
        return app;
    }

    private static void ConfigureEndpoints(WebApplicationBuilder builder, DaemonOptions options)
    {
        ListenAddress.TryParse(options.Listen, out var listen, out _);
        if (listen.UnixSocket is { } socket)
        {
            UnixSocketEndpoint.Prepare(socket);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Configure(ListenOptions endpoint)
            {
                endpoint.Protocols = HttpProtocols.Http2;
                if (options.TlsCertificate is { } certificate)
                {
                    endpoint.UseHttps(X509Certificate2.CreateFromPemFile(certificate, options.TlsKey));
                }
            }
            if (options.OpenAiListen is { Length: > 0 } openAi && ListenAddress.TryParse(openAi, out var openAiAddress, out _))
            {
                kestrel.Listen(openAiAddress.Address, openAiAddress.Port, endpoint =>
                {
                    // HTTP/1.1 for the tools that speak only it (curl without --http2, most SDKs), HTTP/2 where offered.
                    endpoint.Protocols = options.TlsCertificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                    if (options.TlsCertificate is { } openAiCertificate)
                    {
                        endpoint.UseHttps(X509Certificate2.CreateFromPemFile(openAiCertificate, options.TlsKey));
                    }
                    OpenAiEndpoints.TagConnections(endpoint);
                });
            }
            if (options.Metrics is { Length: > 0 } metrics && ListenAddress.TryParse(metrics, out var metricsAddress, out _))
            {
                kestrel.Listen(metricsAddress.Address, metricsAddress.Port, endpoint =>
                {
                    endpoint.Protocols = HttpProtocols.Http1;
                    MetricsEndpoint.TagConnections(endpoint);
                });
            }
            if (listen.UnixSocket is { } path)
            {
                kestrel.ListenUnixSocket(path, Configure);
            }
            else
            {
                kestrel.Listen(listen.Address, listen.Port, Configure);
            }
        });
    }
}
