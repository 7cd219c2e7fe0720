namespace Engram.DiscordFrontend.Discord.Rest;

/// <summary>
/// One rate-limit bucket as Discord's headers describe it. Requests in a bucket go one at a time, so the
/// remaining count read from one answer is true for the next request.
/// </summary>
internal sealed class RateLimitBucket
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public int? Remaining { get; private set; }
    public DateTimeOffset ResetAt { get; private set; }

    public Task EnterAsync(CancellationToken cancellationToken) => _turn.WaitAsync(cancellationToken);

    public void Leave() => _turn.Release();

    /// <summary>How long to wait before the next request may go (zero when it may go now).</summary>
    public TimeSpan WaitBefore(DateTimeOffset now) => Remaining == 0 && ResetAt > now ? ResetAt - now : TimeSpan.Zero;

    /// <summary>Reads X-RateLimit-Remaining and X-RateLimit-Reset-After (seconds, may have decimals).</summary>
    public void Update(int? remaining, TimeSpan? resetAfter, DateTimeOffset now)
    {
        if (remaining is not null)
        {
            Remaining = remaining;
        }
        if (resetAfter is not null)
        {
            ResetAt = now + resetAfter.Value;
        }
    }

    /// <summary>A 429 for this bucket: nothing goes until <paramref name="retryAfter"/> has passed.</summary>
    public void BlockFor(TimeSpan retryAfter, DateTimeOffset now)
    {
        Remaining = 0;
        ResetAt = now + retryAfter;
    }
}
