using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// The OpenAI door keeps the gRPC listener's rules: the bearer token in the standard Authorization header, TLS with
/// the same certificate, no plaintext beyond loopback, and a model still loading is a 503 to retry.
/// </summary>
public sealed class OpenAiAccessTests : IDisposable
{
    private const string Token = "openai-door-token";
    private readonly ModelArtifacts _files = new();
    private readonly TestCertificate _certificate = new();

    public void Dispose()
    {
        _files.Dispose();
        _certificate.Dispose();
    }

    [Fact]
    public async Task WithATokenConfigured_EveryRouteNeedsIt_InTheAuthorizationHeader()
    {
        var port = LoopbackPort.Free();
        await using var daemon = await DaemonProcess.StartAsync(["--model", _files.Good(), "--openai", $"127.0.0.1:{port}"],
            new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        using var http = new HttpClient();
        async Task<HttpResponseMessage> Models(string? authorization)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/v1/models");
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
            return await http.SendAsync(request);
        }

        using var none = await Models(null);
        using var wrong = await Models("Bearer not-the-token");
        using var right = await Models("bearer " + Token);
        using var chat = await http.PostAsync($"http://127.0.0.1:{port}/v1/chat/completions", new StringContent("""{"messages":[]}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("invalid_api_key", (string?)JsonNode.Parse(await none.Content.ReadAsStringAsync())!["error"]!["code"]);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, chat.StatusCode); // refused before the body is even looked at
    }

    [Fact]
    public async Task WithTls_TheDoorSpeaksHttpsWithTheDaemonsCertificate()
    {
        var port = LoopbackPort.Free();
        await using var daemon = await DaemonProcess.StartAsync(
            ["--model", _files.Good(), "--openai", $"127.0.0.1:{port}",
             "--Engram:tls_certificate=" + _certificate.CertificatePath, "--Engram:tls_key=" + _certificate.KeyPath],
            new Dictionary<string, string> { ["Engram__auth_token"] = Token });
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(_certificate.CertificatePath));
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && trusted.Thumbprint == new X509Certificate2(certificate).Thumbprint },
        });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var models = JsonNode.Parse(await http.GetStringAsync($"https://127.0.0.1:{port}/v1/models"))!;
        using var plaintext = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        Assert.Equal("default", (string?)models["data"]![0]!["id"]);
        await Assert.ThrowsAnyAsync<Exception>(() => plaintext.GetStringAsync($"http://127.0.0.1:{port}/v1/models"));
    }

    [Fact]
    public async Task BeyondLoopbackWithoutTlsAndToken_TheStartIsRefused()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(["--model", _files.Good(), "--openai", $"0.0.0.0:{LoopbackPort.Free()}"]);

        Assert.Equal(78, exitCode);
        Assert.Contains("Engram:openai_listen 0.0.0.0:", output);
        Assert.Contains("needs TLS", output);
    }

    [Fact]
    public async Task AModelStillLoading_Is503WithRetryAfter()
    {
        using var root = FakePlatformRoot.Rk3588();
        var port = LoopbackPort.Free();
        await using var daemon = await DaemonProcess.StartAsync(
            ["--root", root.Path, "--openai", $"127.0.0.1:{port}", "--backend", "rkllm", "--rkllm-lib", FakeRkllmRuntime.LibraryFor("1.3.0"),
             "--model", FakeRkllmRuntime.WriteModel(_files.PathOf("Qwen2.5-1.5B-Instruct_W8A8_RK3588.rkllm"))],
            new Dictionary<string, string> { ["FAKE_RKLLM_INIT_DELAY_MS"] = "20000" });
        using var http = new HttpClient();

        using var response = await http.PostAsync($"http://127.0.0.1:{port}/v1/chat/completions",
            new StringContent("""{"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("model_loading", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }
}
