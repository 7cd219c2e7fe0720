using System.Security.Cryptography;
using System.Text;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// The daemon's bearer token, checked the same way on every door (gRPC, metrics, the OpenAI endpoint): the
/// <c>Bearer</c> scheme name in any case (RFC 7235), the token compared in constant time.
/// </summary>
public sealed class BearerToken(string token)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    /// <summary>True when <paramref name="authorization"/> is <c>Bearer TOKEN</c> (scheme in any case) with this token.</summary>
    public bool Matches(string? authorization)
    {
        if (authorization is null)
        {
            return false;
        }
        var space = authorization.IndexOf(' ');
        if (space < 0 || !authorization.AsSpan(0, space).Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = Encoding.UTF8.GetBytes(authorization[(space + 1)..].Trim());
        // Constant time, so the token cannot be guessed byte by byte from response times.
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
