using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// The daemon's composition root: binds and validates <see cref="DaemonOptions"/> once, refuses to build when
/// they are invalid (every problem listed), and builds the web host from them.
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
        var authToken = options.ResolveAuthToken();
        ConfigureEndpoints(builder, options);
        builder.Services.AddEngramDaemon(options, authToken);
        var app = builder.Build();
        app.MapEngramDaemon();
        return app;
    }

    private static void ConfigureEndpoints(WebApplicationBuilder builder, DaemonOptions options)
    {
        ListenAddress.TryParse(options.Listen, out var listen, out _);
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
            if (options.Metrics is { Length: > 0 } metrics && ListenAddress.TryParse(metrics, out var metricsAddress, out _))
            {
                kestrel.Listen(metricsAddress.Address, metricsAddress.Port, endpoint => endpoint.Protocols = HttpProtocols.Http1);
            }
            if (listen.UnixSocket is { } socket)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
                File.Delete(socket); // a stale socket from a previous run
                kestrel.ListenUnixSocket(socket, Configure);
            }
            else
            {
                kestrel.Listen(listen.Address, listen.Port, Configure);
            }
        });
    }
}
