namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>Full-jitter exponential backoff between reconnects, reset once a session is live again.</summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 16)));
        _failures++;
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }

    public void Reset() => _failures = 0;
}
