using Engram.DaemonClient;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>Remote access done right: TLS and a bearer token, a unix socket for the same host, and no silent exposure.</summary>
public sealed class RemoteAccessTests : IDisposable
{
    private const string Token = "s3cret-test-token";
    private readonly ModelArtifacts _files = new();
    private readonly TestCertificate _certificate = new();

    public void Dispose()
    {
        _files.Dispose();
        _certificate.Dispose();
    }

    private Task<DaemonProcess> StartTlsDaemonAsync() => DaemonProcess.StartAsync(
        ["--model", _files.Good(), "--Engram:tls_certificate=" + _certificate.CertificatePath, "--Engram:tls_key=" + _certificate.KeyPath],
        new Dictionary<string, string> { ["Engram__auth_token"] = Token });

    private EngramDaemonClient ClientOf(DaemonProcess daemon, string? token) => new(new DaemonClientOptions
    {
        Address = daemon.Address,
        BearerToken = token,
        TrustedCertificatePath = _certificate.CertificatePath,
        MaxRetries = 0,
    });

    [Fact]
    public async Task TlsWithTheRightToken_IsServed()
    {
        await using var daemon = await StartTlsDaemonAsync();
        using var client = ClientOf(daemon, Token);

        await client.WaitForDefaultModelAsync(TestTimeouts.Default).WithTimeout();
        var recording = await RecordAsync(client, Prompt("Hi.", 3)).WithTimeout();

        Assert.StartsWith("https://", daemon.Address);
        Assert.Equal(3, recording.Finished.Timings.GeneratedTokens);
        Assert.DoesNotContain(daemon.Output, line => line.Contains(Token));
    }

    [Theory]
    [InlineData(null, "a bearer token is required")]
    [InlineData("wrong-token", "the bearer token is not valid")]
    public async Task MissingOrWrongToken_IsUnauthenticated(string? token, string message)
    {
        await using var daemon = await StartTlsDaemonAsync();
        using var client = ClientOf(daemon, token);

        var generate = await Assert.ThrowsAsync<RpcException>(() => RecordAsync(client, Prompt("Hi.", 3)));
        var health = await Assert.ThrowsAsync<RpcException>(() => client.GetHealthAsync());

        Assert.Equal(StatusCode.Unauthenticated, generate.StatusCode);
        Assert.Contains(message, generate.Status.Detail);
        Assert.Equal(StatusCode.Unauthenticated, health.StatusCode);
    }

    [Fact]
    public async Task TheTokenIsAcceptedWhateverTheCaseOfItsScheme_AndTheStartUpLineSaysTls()
    {
        await using var daemon = await StartTlsDaemonAsync();
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(daemon.Address, new Grpc.Net.Client.GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } },
        });
        var raw = new Contract.V1.Inference.InferenceClient(channel);

        var health = await raw.GetHealthAsync(new Contract.V1.GetHealthRequest(), new Metadata { { "authorization", "bearer " + Token } });

        Assert.NotEmpty(health.Models);
        Assert.Contains(daemon.Output, line => line.Contains("listening on https://127.0.0.1:") && line.Contains("(gRPC, HTTP/2 over TLS)"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GrpcHealth_AnswersProbesWithoutTheToken_UnlessTold(bool healthRequiresToken)
    {
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", _files.Good(), "--Engram:tls_certificate=" + _certificate.CertificatePath, "--Engram:tls_key=" + _certificate.KeyPath,
             $"--Engram:health_requires_token={healthRequiresToken}"],
            new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(daemon.Address, new Grpc.Net.Client.GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } },
        });
        var probe = new Grpc.Health.V1.Health.HealthClient(channel);
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel);

        async Task<StatusCode> ProbeAsync()
        {
            try
            {
                await probe.CheckAsync(new Grpc.Health.V1.HealthCheckRequest { Service = "" });
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }
        var probed = await ProbeAsync();
        using var listing = reflection.ServerReflectionInfo();
        // The daemon may refuse the call before the request is written: then the write fails with the status.
        var reflected = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await listing.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
            await listing.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(healthRequiresToken ? StatusCode.Unauthenticated : StatusCode.OK, probed);
        Assert.Equal(StatusCode.Unauthenticated, reflected.StatusCode); // reflection and engram.v1 always need it
    }

    [Fact]
    public async Task TheDocumentedOpensslCertificate_IsServedByTheDaemonAndTrustedByItsClients()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "operations.md")).Replace("\\\n", " ");
        var command = System.Text.RegularExpressions.Regex.Match(docs, @"sudo (openssl req -x509 [^\n]+)").Groups[1].Value;
        var certificate = Path.Combine(_files.Directory, "daemon.crt");
        var key = Path.Combine(_files.Directory, "daemon.key");
        var arguments = System.Text.RegularExpressions.Regex.Matches(command, "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"'))
            .Select(a => a.Replace("/etc/engram/daemon.crt", certificate).Replace("/etc/engram/daemon.key", key)).Skip(1).ToArray();
        using (var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl", arguments) { RedirectStandardError = true })!)
        {
            await openssl.WaitForExitAsync().WithTimeout();
            Assert.Equal(0, openssl.ExitCode);
        }
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", _files.Good(), "--Engram:tls_certificate=" + certificate, "--Engram:tls_key=" + key],
            new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = daemon.Address, BearerToken = Token, TrustedCertificatePath = certificate });

        var health = await client.GetHealthAsync().WithTimeout();

        Assert.Contains("IP:127.0.0.1", command);
        Assert.NotEmpty(health.Models);
    }

    [Fact]
    public async Task NonLoopbackListenerWithoutTls_RefusesToStart()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["--listen", "0.0.0.0:0", "--model", _files.Good()]);

        Assert.Equal(78, exitCode);
        Assert.Contains("is reachable from other machines: it needs TLS", output);
    }

    [Fact]
    public async Task UnixSocket_ServesTheSameHost()
    {
        var socket = Path.Combine(_files.Directory, "daemon.sock");
        await using var daemon = await DaemonProcess.StartAsync(["--model", _files.Good(), "--listen", "unix:" + socket]);
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = "unix:" + socket, MaxRetries = 0 });

        await client.WaitForDefaultModelAsync(TestTimeouts.Default).WithTimeout();
        var recording = await RecordAsync(client, Prompt("Hi.", 2)).WithTimeout();

        Assert.True(File.Exists(socket));
        Assert.Equal(2, recording.Finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task Metrics_AreNeverServedOnTheGrpcPort_WhateverTheHostHeaderSays()
    {
        var metricsPort = LoopbackPort.Free();
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", _files.Good(), "--metrics", $"127.0.0.1:{metricsPort}",
             "--Engram:tls_certificate=" + _certificate.CertificatePath, "--Engram:tls_key=" + _certificate.KeyPath],
            new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, daemon.Address + "/metrics")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = $"127.0.0.1:{metricsPort}";

        using var onGrpcPort = await http.SendAsync(request);
        var onMetricsPort = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");

        Assert.NotEqual(System.Net.HttpStatusCode.OK, onGrpcPort.StatusCode);
        Assert.DoesNotContain("engram_", await onGrpcPort.Content.ReadAsStringAsync());
        Assert.Contains("engram_model_state", onMetricsPort);
    }

    [Fact]
    public async Task MetricsBeyondLoopback_AreAnExplicitChoice_WarnedAbout_AndCanRequireTheToken()
    {
        var port = LoopbackPort.Free();
        var (refusedExit, refused) = await DaemonProcess.RunToExitAsync(["--model", _files.Good(), "--metrics", $"0.0.0.0:{port}"]);
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", _files.Good(), "--metrics", $"0.0.0.0:{port}", "--Engram:metrics_public=true", "--Engram:metrics_requires_token=true"],
            new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        using var http = new HttpClient();
        using var anonymous = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + Token); // the scheme name is case-insensitive
        using var authorised = await http.SendAsync(request);

        Assert.Equal(78, refusedExit);
        Assert.Contains("metrics_public", refused);
        Assert.Contains(daemon.Output, line => line.Contains("metrics are served beyond this machine") && line.Contains("with the bearer token"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, authorised.StatusCode);
    }
}
