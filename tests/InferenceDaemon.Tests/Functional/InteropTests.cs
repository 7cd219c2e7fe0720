using System.Diagnostics;
using System.Text.Json;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// A client that is not grpc-dotnet (Node's @grpc/grpc-js, discovering the service by reflection alone,
/// as grpcurl does) can call Generate and read the stream. .ci/run installs its npm packages.
/// </summary>
public sealed class InteropTests(ScriptedDaemonFixture fixture) : IClassFixture<ScriptedDaemonFixture>
{
    private static readonly string ClientDirectory = Path.Combine(RepositoryLayout.Root, "tests", "interop", "node");

    private static readonly Lazy<Task> Installed = new(InstallClientAsync);

    // .ci/run installs the packages up front; a plain `dotnet test` on a fresh clone installs them here.
    private static async Task InstallClientAsync()
    {
        if (Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "@grpc", "grpc-js")))
        {
            return;
        }
        var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, $"npm ci in {ClientDirectory} failed: {output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = ClientDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout(timeout);
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }

    private static async Task<JsonElement> RunNodeClientAsync(params string[] arguments)
    {
        await Installed.Value;
        var (exitCode, output) = await RunAsync("node", ["generate.js", .. arguments], TestTimeouts.Default);
        Assert.True(exitCode == 0, $"node client failed: {output}");
        return JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{'))).RootElement;
    }

    [Fact]
    public async Task NodeGrpcClient_DiscoversByReflectionAndStreamsGenerate()
    {
        var result = await RunNodeClientAsync(fixture.Daemon.Address.Replace("http://", ""), "Tell me something.", "7");

        Assert.Contains("engram.v1.Inference", result.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("OK", result.GetProperty("status").GetProperty("code").GetString());
        var events = result.GetProperty("events").EnumerateArray().ToArray();
        Assert.True(events[0].TryGetProperty("accepted", out var accepted));
        Assert.Equal("story", accepted.GetProperty("model").GetString());
        var text = string.Concat(events.Where(e => e.TryGetProperty("token", out _)).Select(e => e.GetProperty("token").GetProperty("text").GetString()));
        Assert.Equal(ScriptedDaemonFixture.StoryText, text);
        var finished = events[^1].GetProperty("finished");
        Assert.Equal("FINISH_REASON_LENGTH", finished.GetProperty("reason").GetString());
        Assert.Equal(7, finished.GetProperty("timings").GetProperty("generated_tokens").GetInt32());
    }

    [Fact]
    public async Task NodeGrpcClient_SeesTheStandardStatusForABadRequest()
    {
        var result = await RunNodeClientAsync(fixture.Daemon.Address.Replace("http://", ""), "", "7");

        Assert.Equal("INVALID_ARGUMENT", result.GetProperty("status").GetProperty("code").GetString());
        Assert.Contains("prompt is empty", result.GetProperty("status").GetProperty("details").GetString());
    }
}
