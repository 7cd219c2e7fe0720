using System.Text.Json;
using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// A client that is not grpc-dotnet (Node's @grpc/grpc-js, discovering the service by reflection alone,
/// as grpcurl does) can call Generate and read the stream. .ci/run installs its npm packages.
/// </summary>
public sealed class InteropTests(ScriptedDaemonFixture fixture) : IClassFixture<ScriptedDaemonFixture>
{
    private static Task<JsonElement> RunNodeClientAsync(params string[] arguments) => NodeClients.RunAsync("generate.js", arguments);

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
