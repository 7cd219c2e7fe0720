using Microsoft.Extensions.Configuration;

namespace Engram.DiscordFrontend.Routing;

/// <summary>Who may talk to the bot and where (section <c>Discord:routing</c>). Empty allow lists allow everyone; deny lists always win.</summary>
public sealed class RoutingOptions
{
    [ConfigurationKeyName("allowed_users")] public List<ulong> AllowedUsers { get; set; } = [];
    [ConfigurationKeyName("denied_users")] public List<ulong> DeniedUsers { get; set; } = [];
    [ConfigurationKeyName("allowed_roles")] public List<ulong> AllowedRoles { get; set; } = [];
    [ConfigurationKeyName("denied_roles")] public List<ulong> DeniedRoles { get; set; } = [];
    [ConfigurationKeyName("allowed_channels")] public List<ulong> AllowedChannels { get; set; } = [];
    [ConfigurationKeyName("denied_channels")] public List<ulong> DeniedChannels { get; set; } = [];

    /// <summary>Answer direct messages. Default true.</summary>
    [ConfigurationKeyName("allow_dms")] public bool AllowDms { get; set; } = true;

    /// <summary>Channels where the bot also considers messages that do not mention it (the classifier decides).</summary>
    [ConfigurationKeyName("listen_channels")] public List<ulong> ListenChannels { get; set; } = [];
}
