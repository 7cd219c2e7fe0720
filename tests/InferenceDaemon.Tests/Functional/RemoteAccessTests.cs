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
}
