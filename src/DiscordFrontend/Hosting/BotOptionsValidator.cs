using Microsoft.Extensions.Options;

namespace Engram.DiscordFrontend.Hosting;

/// <summary>Checks the whole configuration at start and names every problem at once.</summary>
public sealed class BotOptionsValidator : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add($"Discord:api_base_url '{options.ApiBaseUrl}' is not an http(s) URL");
        }
        var daemon = options.Daemon;
        if (daemon.MaxNewTokens is < 0 or > 8192)
        {
            errors.Add($"Discord:daemon:max_new_tokens {daemon.MaxNewTokens} must be from 0 (the profile's default) to 8192");
        }
        if (daemon.Temperature is < 0 or > 2)
        {
            errors.Add($"Discord:daemon:temperature {daemon.Temperature} must be from 0 to 2");
        }
        if (daemon.WaitSeconds is < 1 or > 3600)
        {
            errors.Add($"Discord:daemon:wait_seconds {daemon.WaitSeconds} must be from 1 to 3600");
        }
        var replies = options.Replies;
        if (replies.EditIntervalMs < 200)
        {
            errors.Add($"Discord:replies:edit_interval_ms {replies.EditIntervalMs} is below 200; Discord rate-limits faster edits");
        }
        if (replies.ChannelBudget < 1 || replies.ChannelBudgetWindowMs < 100)
        {
            errors.Add("Discord:replies:channel_budget must be at least 1 per channel_budget_window_ms of at least 100");
        }
        if (replies.MaxMessages < 1 || replies.MaxCharacters < 100)
        {
            errors.Add("Discord:replies:max_messages must be at least 1 and max_characters at least 100");
        }
        var classifier = options.Classifier;
        if (classifier.Labels.Count == 0 || !classifier.Labels.Contains(classifier.DefaultLabel))
        {
            errors.Add($"Discord:classifier:default_label '{classifier.DefaultLabel}' must be one of the labels ({string.Join(", ", classifier.Labels)})");
        }
        if (classifier.MaxNewTokens is < 1 or > 32)
        {
            errors.Add($"Discord:classifier:max_new_tokens {classifier.MaxNewTokens} must be from 1 to 32: a label is a word");
        }
        if (!classifier.Prompt.Contains("{message}", StringComparison.Ordinal))
        {
            errors.Add("Discord:classifier:prompt must contain {message}");
        }
        if (options.RateLimits.PerUser < 1 || options.RateLimits.PerChannel < 1 || options.RateLimits.WindowSeconds < 1)
        {
            errors.Add("Discord:rate_limits: per_user, per_channel and window_seconds must be at least 1");
        }
        var gateway = options.Gateway;
        if (gateway.ReconnectMinMs < 1 || gateway.ReconnectMaxMs < gateway.ReconnectMinMs)
        {
            errors.Add("Discord:gateway: reconnect_min_ms must be positive and at most reconnect_max_ms");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
