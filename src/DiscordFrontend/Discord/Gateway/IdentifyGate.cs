namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>
/// Spends the Identify budget carefully: at most one Identify per interval (Discord's max_concurrency 1 per
/// 5 s), and none while the day's session-start budget is empty. 1000 Identifies a day resets the bot's token.
/// </summary>
internal sealed class IdentifyGate(TimeSpan interval, TimeProvider time)
{
    private long? _lastIdentify;

    /// <summary>Waits until an Identify sent now would be at least the interval after the previous one.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_lastIdentify is { } last && time.GetElapsedTime(last) is var since && since < interval)
        {
            await Task.Delay(interval - since, time, cancellationToken);
        }
    }

    /// <summary>An Identify went out: the next waits from here (not from when its turn came; connecting takes time).</summary>
    public void Sent() => _lastIdentify = time.GetTimestamp();
}
