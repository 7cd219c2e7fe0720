using System.Text;
using Engram.Contract.V1;
using Engram.DaemonClient.Balancing;

namespace Engram.DiscordFrontend.Commands;

/// <summary>The daemon's health report as a short Discord message (for <c>/health</c> and <c>!health</c>).</summary>
public static class HealthText
{
    public static string Format(HealthReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"**engram-daemon {report.Version}**, up {TimeSpan.FromSeconds(Math.Round(report.UptimeSeconds)):g}, queue depth {report.QueueDepth}");
        foreach (var model in report.Models)
        {
            var line = $"• `{model.Name}`{(model.IsDefault ? " (default)" : "")}: **{model.State.ToString().ToLowerInvariant()}** on {model.Backend}";
            if (model.State == ModelState.Failed)
            {
                line += $": {model.FailureClass.ToString().ToLowerInvariant()} failure ({model.FailureKind}): {model.Detail}";
            }
            text.AppendLine(line);
        }
        if (report.UnderPressure)
        {
            text.AppendLine($"⚠️ under pressure ({report.PressureReason}); new requests go to `{report.ActiveProfile}`");
        }
        if (report.Platform is { } platform && platform.Checks.Count > 0)
        {
            var problems = platform.Checks.Where(c => c.Status is CheckStatus.Warn or CheckStatus.Fail)
                .Select(c => $"{c.Name} {c.Status.ToString().ToLowerInvariant()} ({c.Value})").ToList();
            text.AppendLine(problems.Count == 0 ? $"platform: all {platform.Checks.Count} checks pass" : "platform: " + string.Join("; ", problems));
        }
        if (report.LastCrash is { Operation.Length: > 0 } crash)
        {
            text.AppendLine($"last crash: {crash.Operation} on `{crash.Model}` ({crash.Backend}){(crash.Signal.Length > 0 ? $", {crash.Signal}" : "")}; restarts: {report.Restarts}");
        }
        return text.ToString().TrimEnd();
    }

    public static string Unreachable(string why) => $"⚠️ The inference daemon cannot be reached: {why}";

    /// <summary>One line per board: whether it says it serves, and its breaker.</summary>
    public static string Boards(IEnumerable<EndpointStatus> boards) => "boards: " + string.Join("; ", boards.Select(b =>
        $"`{b.Address}` {(b.Serving switch { true => "serving", false => "not serving", null => "health unknown" })}" +
        (b.Breaker == EndpointBreakerState.Closed ? "" : $", breaker {b.Breaker.ToString().ToLowerInvariant()} after {b.ConsecutiveFailures} failures")));
}
