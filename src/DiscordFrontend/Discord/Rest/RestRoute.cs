namespace Engram.DiscordFrontend.Discord.Rest;

/// <summary>
/// One REST call's route: the method and path template name its rate-limit bucket until Discord tells us the
/// bucket's hash; the major parameter (channel, guild, webhook) splits buckets, as Discord does.
/// </summary>
internal sealed record RestRoute(HttpMethod Method, string Template, string Major, string Path)
{
    public string Key => $"{Method} {Template}:{Major}";

    public override string ToString() => $"{Method} {Template}";

    public static RestRoute Channel(HttpMethod method, string template, ulong channelId, string path) => new(method, template, channelId.ToString(), path);

    public static RestRoute Webhook(HttpMethod method, string template, ulong applicationId, string token, string path) =>
        new(method, template, $"{applicationId}:{token}", path);

    public static RestRoute Global(HttpMethod method, string path) => new(method, path, "", path);
}
