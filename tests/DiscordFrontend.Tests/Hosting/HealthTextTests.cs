using Engram.Contract.V1;
using Engram.DaemonClient.Balancing;
using Engram.DiscordFrontend.Commands;

namespace Engram.DiscordFrontend.Tests.Hosting;

public sealed class HealthTextTests
{
    [Fact]
    public void AFailedModel_IsShownWithItsFailureClass_AndTheLastCrashIsTold()
    {
        var report = new HealthReport { Version = "1.0", UptimeSeconds = 65, Restarts = 2, LastCrash = new CrashReport { Operation = "generate", Model = "npu", Backend = "rkllm", Signal = "SIGSEGV" } };
        report.Models.Add(new ModelHealth { Name = "npu", IsDefault = true, Backend = "rkllm", State = ModelState.Failed, FailureClass = FailureClass.Artifact, FailureKind = "wrong_target", Detail = "converted for RK3576" });

        var text = HealthText.Format(report);

        Assert.Contains("`npu` (default): **failed** on rkllm: artifact failure (wrong_target): converted for RK3576", text, StringComparison.Ordinal);
        Assert.Contains("last crash: generate on `npu` (rkllm), SIGSEGV; restarts: 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Boards_SayWhichServeAndWhichAreCutOff()
    {
        var text = HealthText.Boards([new EndpointStatus("a:1", true, EndpointBreakerState.Closed, 0), new EndpointStatus("b:2", false, EndpointBreakerState.Open, 5)]);

        Assert.Equal("boards: `a:1` serving; `b:2` not serving, breaker open after 5 failures", text);
    }
}
