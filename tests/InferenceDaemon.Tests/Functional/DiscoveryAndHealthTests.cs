using Engram.Contract.V1;
using Engram.TestSupport;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>What grpcurl and orchestrators rely on: reflection, grpc.health.v1, and the Health RPC.</summary>
public sealed class DiscoveryAndHealthTests(ScriptedDaemonFixture fixture) : IClassFixture<ScriptedDaemonFixture>
{
    [Fact]
    public async Task Reflection_ListsTheEngramService()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Daemon.Address);
        var reflection = new ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "engram.v1.Inference" });
        await call.RequestStream.CompleteAsync();
        var responses = new List<ServerReflectionResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            responses.Add(response);
        }

        var services = responses[0].ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("engram.v1.Inference", services);
        Assert.Contains("grpc.health.v1.Health", services);
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(responses[1].FileDescriptorResponse.FileDescriptorProto[0]);
        var generate = file.Service.Single(s => s.Name == "Inference").Method.Single(m => m.Name == "Generate");
        Assert.True(generate.ServerStreaming);
    }

    [Fact]
    public async Task GrpcHealth_IsServingForTheLoadedDefaultAndNotServingForAFailedModel()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Daemon.Address);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);

        var overall = await health.CheckAsync(new HealthCheckRequest { Service = "" });
        var inference = await health.CheckAsync(new HealthCheckRequest { Service = "engram.v1.Inference" });
        var failed = await health.CheckAsync(new HealthCheckRequest { Service = "engram.v1.Inference/missing" });
        var utf8 = await health.CheckAsync(new HealthCheckRequest { Service = "engram.v1.Inference/utf8" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, inference.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, failed.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, utf8.Status);
    }

    [Fact]
    public async Task GetHealth_ReportsEveryModelWithStateAndFailureClass()
    {
        var report = await fixture.Daemon.Client.GetHealthAsync().WithTimeout();

        Assert.Equal("story", report.DefaultModel);
        Assert.False(string.IsNullOrEmpty(report.Version));
        Assert.True(report.UptimeSeconds > 0);
        var story = report.Models.Single(m => m.Name == "story");
        Assert.Equal(ModelState.Ready, story.State);
        Assert.True(story.IsDefault);
        Assert.True(story.LoadMs > 0);
        Assert.Equal(8192, story.MaxContextLen);
        Assert.Equal("llama", story.Backend);
        var missing = report.Models.Single(m => m.Name == "missing");
        Assert.Equal(ModelState.Failed, missing.State);
        Assert.Equal(FailureClass.Artifact, missing.FailureClass);
        Assert.Contains("does not exist", missing.Detail);
        Assert.False(string.IsNullOrEmpty(missing.Remedy));
    }
}
