using System.Net;

namespace Engram.DiscordFrontend.Discord;

/// <summary>A REST request Discord refused (or kept failing); <see cref="Code"/> is Discord's JSON error code when given.</summary>
public sealed class DiscordRestException(string route, HttpStatusCode status, int? code, string message)
    : Exception($"{route}: HTTP {(int)status} {status}{(code is null ? "" : $" (code {code})")}: {message}")
{
    public string Route { get; } = route;
    public HttpStatusCode Status { get; } = status;
    public int? Code { get; } = code;
}
