using Engram.DaemonClient;
using Grpc.Core;

namespace Engram.DiscordFrontend.Commands;

/// <summary>
/// Asks the daemon for its health report and words it for Discord, unreachable daemon included; with several
/// boards, also what the client knows of each (health and breaker).
/// </summary>
public sealed class HealthQuery(EngramDaemonClient daemon)
{
    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        string report;
        try
        {
            report = HealthText.Format(await daemon.GetHealthAsync(cancellationToken));
        }
        catch (RpcException ex)
        {
            report = HealthText.Unreachable($"{ex.StatusCode}: {ex.Status.Detail}");
        }
        return daemon.Endpoints.Count == 0 ? report : report + "\n" + HealthText.Boards(daemon.Endpoints);
    }
}
