namespace Engram.DiscordFrontend.Hosting;

/// <summary>
/// Finds the bot token without ever printing it: <c>token_file</c>, then the systemd credential
/// <c>discord-token</c> (LoadCredential=), then <c>DISCORD_BOT_TOKEN</c>, then <c>Discord:token</c>.
/// </summary>
public static class BotToken
{
    public const string EnvironmentVariable = "DISCORD_BOT_TOKEN";
    public const string CredentialName = "discord-token";

    /// <summary>The token and where it came from (for the log), or an error that says how to provide one.</summary>
    public static (string? Token, string SourceOrError) Resolve(BotOptions options, Func<string, string?> environment)
    {
        if (options.TokenFile is { Length: > 0 } file)
        {
            return File.Exists(file)
                ? Clean(File.ReadAllText(file), $"file {file}")
                : (null, $"the token file {file} does not exist");
        }
        if (environment("CREDENTIALS_DIRECTORY") is { Length: > 0 } credentials && Path.Combine(credentials, CredentialName) is var path && File.Exists(path))
        {
            return Clean(File.ReadAllText(path), $"systemd credential {CredentialName}");
        }
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Clean(fromEnvironment, EnvironmentVariable);
        }
        if (options.Token is { Length: > 0 } fromConfiguration)
        {
            return Clean(fromConfiguration, "configuration Discord:token");
        }
        return (null, $"no bot token: set {EnvironmentVariable}, pass --token-file FILE, or give systemd a credential named {CredentialName}");
    }

    private static (string?, string) Clean(string raw, string source)
    {
        var token = raw.Trim();
        if (token.StartsWith("Bot ", StringComparison.Ordinal))
        {
            token = token[4..].Trim();
        }
        return token.Length == 0 || token.Any(char.IsWhiteSpace) ? (null, $"the token from {source} is empty or contains spaces") : (token, source);
    }
}
