namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>What to do after a connection ends.</summary>
internal enum ReconnectAction
{
    /// <summary>Reconnect to the session's resume URL and Resume: missed events are replayed.</summary>
    Resume,

    /// <summary>The session is gone: reconnect to the base URL and Identify afresh.</summary>
    Identify,

    /// <summary>Discord will never accept this bot as configured: stop.</summary>
    Fatal,
}

/// <summary>Gateway close codes (Discord's opcodes-and-status-codes table) and the decision each calls for.</summary>
internal static class GatewayCloseCodes
{
    public const int ClientReconnect = 4000; // our close when we mean to resume (1000/1001 would end the session)
    public const int AuthenticationFailed = 4004;
    public const int InvalidSequence = 4007;
    public const int SessionTimedOut = 4009;
    public const int DisallowedIntents = 4014;

    /// <summary>A close without a code (a dropped TCP connection, 1006) is resumable, as is a server-sent 1000.</summary>
    public static ReconnectAction Decide(int? closeCode) => closeCode switch
    {
        AuthenticationFailed or 4010 or 4011 or 4012 or 4013 or DisallowedIntents => ReconnectAction.Fatal,
        InvalidSequence or SessionTimedOut or 4003 => ReconnectAction.Identify,
        _ => ReconnectAction.Resume,
    };

    public static string Describe(int? closeCode) => closeCode switch
    {
        null => "connection dropped without a close code",
        4000 => "4000 unknown error",
        4001 => "4001 unknown opcode",
        4002 => "4002 decode error",
        4003 => "4003 not authenticated",
        AuthenticationFailed => "4004 authentication failed: Discord rejected the bot token; check the token (the bot will not retry)",
        4005 => "4005 already authenticated",
        InvalidSequence => "4007 invalid sequence on resume",
        4008 => "4008 rate limited",
        SessionTimedOut => "4009 session timed out",
        4010 => "4010 invalid shard",
        4011 => "4011 sharding required",
        4012 => "4012 invalid API version",
        4013 => "4013 invalid intents",
        DisallowedIntents => "4014 disallowed intents: enable the MESSAGE CONTENT intent for this bot in the Discord Developer Portal (Bot → Privileged Gateway Intents)",
        var code => $"{code}",
    };
}
