using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;

namespace Engram.DiscordFrontend.Discord.Rest;

/// <summary>
/// Paces REST calls by Discord's headers, never by hard-coded numbers: a bucket per route (shared once Discord
/// names the bucket), and one global gate that a global 429 (or a suspected Cloudflare ban) closes for everyone.
/// </summary>
internal sealed class RestRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RateLimitBucket> _byRoute = new();
    private readonly ConcurrentDictionary<string, RateLimitBucket> _byHash = new();
    private long _globalUntilTicks;

    public DateTimeOffset GlobalUntil => new(Interlocked.Read(ref _globalUntilTicks), TimeSpan.Zero);

    /// <summary>Waits for the route's turn and for both limits; the caller must <see cref="RateLimitBucket.Leave"/>.</summary>
    public async Task<RateLimitBucket> AcquireAsync(RestRoute route, CancellationToken cancellationToken)
    {
        var bucket = _byRoute.GetOrAdd(route.Key, static _ => new RateLimitBucket());
        await bucket.EnterAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                var wait = Max(GlobalUntil - now, bucket.WaitBefore(now));
                if (wait <= TimeSpan.Zero)
                {
                    return bucket;
                }
                await Task.Delay(wait, time, cancellationToken);
            }
        }
        catch
        {
            bucket.Leave();
            throw;
        }
    }

    /// <summary>Takes in an answer's rate-limit headers; routes that Discord puts in one bucket share it from now on.</summary>
    public void Observe(RestRoute route, RateLimitBucket bucket, HttpResponseHeaders headers)
    {
        var (remaining, resetAfter, now) = (IntHeader(headers, "X-RateLimit-Remaining"), SecondsHeader(headers, "X-RateLimit-Reset-After"), time.GetUtcNow());
        bucket.Update(remaining, resetAfter, now);
        if (headers.TryGetValues("X-RateLimit-Bucket", out var hashes) && hashes.FirstOrDefault() is { Length: > 0 } hash)
        {
            var shared = _byHash.GetOrAdd($"{hash}:{route.Major}", bucket);
            if (!ReferenceEquals(shared, bucket))
            {
                // Another route already holds this bucket: send this route's future requests through it.
                shared.Update(remaining, resetAfter, now);
                _byRoute[route.Key] = shared;
            }
        }
    }

    public void BlockRoute(RateLimitBucket bucket, TimeSpan retryAfter) => bucket.BlockFor(retryAfter, time.GetUtcNow());

    public void BlockAll(TimeSpan pause)
    {
        var until = (time.GetUtcNow() + pause).UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _globalUntilTicks);
            if (seen >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _globalUntilTicks, until, seen) != seen);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static int? IntHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static TimeSpan? SecondsHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
