namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>
/// Spends the Identify budget carefully: at most one Identify per interval (Discord's max_concurrency 1 per
/// 5 s), and none while the day's session-start budget is empty. 1000 Identifies a day resets the bot's token.
/// </summary>
internal sealed class IdentifyGate(TimeSpan interval, TimeProvider time)
{
    private long? _lastIdentify;

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_lastIdentify is { } last && time.GetElapsedTime(last) is var since && since < interval)
        {
            await Task.Delay(interval - since, time, cancellationToken);
        }
        _lastIdentify = time.GetTimestamp();
    }
}
