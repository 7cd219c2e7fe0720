namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>
/// What a Resume needs, kept across connections: the session id, the last sequence number seen and the
/// session's own resume URL. Cleared only when Discord says the session is gone.
/// </summary>
internal sealed class GatewaySession
{
    public string? SessionId { get; private set; }
    public Uri? ResumeUrl { get; private set; }

    /// <summary>The last non-null <c>s</c> of a dispatch; sent with heartbeats and Resume.</summary>
    public long? Sequence { get; private set; }

    public bool CanResume => SessionId is not null && ResumeUrl is not null;

    public void Start(string sessionId, Uri resumeUrl)
    {
        SessionId = sessionId;
        ResumeUrl = resumeUrl;
    }

    public void Observe(long? sequence)
    {
        if (sequence is { } s)
        {
            Sequence = s;
        }
    }

    public void Reset()
    {
        SessionId = null;
        ResumeUrl = null;
        Sequence = null;
    }
}
