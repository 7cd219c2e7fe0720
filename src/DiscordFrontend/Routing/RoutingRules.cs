using Engram.DiscordFrontend.Conversation;
using Engram.DiscordFrontend.Discord.Model;

namespace Engram.DiscordFrontend.Routing;

/// <summary>
/// The cheap fast path: decides from the message alone, with no model call. Bots (itself included) are
/// ignored; deny lists win over allow lists; a mention, a reply to the bot or a DM is addressed to the bot;
/// in a listening channel anything else goes to the classifier; everything else is ignored.
/// </summary>
public sealed class RoutingRules(RoutingOptions options)
{
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "help", "health" };

    public RouteDecision Decide(DiscordMessage message, BotIdentity bot)
    {
        if (message.Author.Id == bot.UserId)
        {
            return RouteDecision.Ignore("own message");
        }
        if (message.Author.IsBot || message.WebhookId is not null)
        {
            return RouteDecision.Ignore("written by a bot");
        }
        var roles = message.Member?.Roles ?? [];
        if (options.DeniedUsers.Contains(message.Author.Id) || roles.Any(options.DeniedRoles.Contains) || options.DeniedChannels.Contains(message.ChannelId))
        {
            return RouteDecision.Ignore("denied user, role or channel");
        }
        if (message.IsDirectMessage)
        {
            if (!options.AllowDms)
            {
                return RouteDecision.Ignore("direct messages are off");
            }
            if (options.AllowedUsers.Count > 0 && !options.AllowedUsers.Contains(message.Author.Id))
            {
                return RouteDecision.Ignore("user not on the allow list");
            }
        }
        else
        {
            var userListed = options.AllowedUsers.Contains(message.Author.Id) || roles.Any(options.AllowedRoles.Contains);
            if ((options.AllowedUsers.Count > 0 || options.AllowedRoles.Count > 0) && !userListed)
            {
                return RouteDecision.Ignore("user and roles not on the allow lists");
            }
            if (options.AllowedChannels.Count > 0 && !options.AllowedChannels.Contains(message.ChannelId))
            {
                return RouteDecision.Ignore("channel not on the allow list");
            }
        }

        var text = MentionText.Strip(message.Content, bot.UserId);
        var mentioned = message.Mentions.Any(u => u.Id == bot.UserId) || MentionText.Mentions(message.Content, bot.UserId);
        var repliesToBot = message.ReferencedMessage?.Author.Id == bot.UserId;
        var addressed = message.IsDirectMessage || mentioned || repliesToBot;
        if (addressed && text.StartsWith('!') && Commands.Contains(text[1..].Trim()))
        {
            return new RouteDecision(Route.Command, "command", text, text[1..].Trim().ToLowerInvariant());
        }
        if (addressed)
        {
            return text.Length == 0
                ? new RouteDecision(Route.Command, "mention without text", text, "help")
                : new RouteDecision(Route.Answer, message.IsDirectMessage ? "direct message" : mentioned ? "mention" : "reply to the bot", text);
        }
        if (options.ListenChannels.Contains(message.ChannelId) && text.Length > 0)
        {
            return new RouteDecision(Route.Classify, "listening channel", text);
        }
        return RouteDecision.Ignore("not addressed to the bot");
    }
}
