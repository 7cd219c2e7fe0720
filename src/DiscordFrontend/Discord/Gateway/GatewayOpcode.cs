namespace Engram.DiscordFrontend.Discord.Gateway;

/// <summary>Gateway v10 opcodes the bot sends or handles.</summary>
internal enum GatewayOpcode
{
    Dispatch = 0,
    Heartbeat = 1,
    Identify = 2,
    Resume = 6,
    Reconnect = 7,
    InvalidSession = 9,
    Hello = 10,
    HeartbeatAck = 11,
}
