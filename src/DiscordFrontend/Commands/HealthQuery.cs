using Engram.DaemonClient;
using Grpc.Core;

namespace Engram.DiscordFrontend.Commands;

/// <summary>Asks the daemon for its health report and words it for Discord, unreachable daemon included.</summary>
public sealed class HealthQuery(EngramDaemonClient daemon)
{
    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return HealthText.Format(await daemon.GetHealthAsync(cancellationToken));
        }
        catch (RpcException ex)
        {
            return HealthText.Unreachable($"{ex.StatusCode}: {ex.Status.Detail}");
        }
    }
}
