using System.CommandLine;
using Engram.DiscordFrontend.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var configFile = new Option<FileInfo?>("--config") { Description = "An extra JSON configuration file (same keys as appsettings.json)." };
var tokenFile = new Option<FileInfo?>("--token-file") { Description = "A file holding the bot token. Also: DISCORD_BOT_TOKEN, or the systemd credential discord-token." };
var daemons = new Option<string[]>("--daemon")
{
    Description = "Daemon address (http://host:port, https://..., unix:/path); repeat for several boards. Default http://127.0.0.1:50051.",
    AllowMultipleArgumentsPerToken = false,
};
var root = new RootCommand(
    "engram-discord: a Discord bot that streams answers from engram-daemon.\n" +
    "Configuration: appsettings.json next to the program, Discord__* environment variables, --config FILE, and --Discord:key=value\n" +
    "(for example --Discord:routing:listen_channels:0=123). The token is never logged.\n" +
    "Exit codes: 0 stopped, 64 usage, 77 Discord refused the token or intents (do not restart), 78 configuration.")
{
    configFile, tokenFile, daemons,
};
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction(async (parse, cancellationToken) =>
{
    var configuration = parse.UnmatchedTokens.ToList();
    if (configuration.FirstOrDefault(t => t.StartsWith('-') && !t.StartsWith("--Discord:", StringComparison.OrdinalIgnoreCase) &&
                                          !t.StartsWith("--Logging:", StringComparison.OrdinalIgnoreCase)) is { } unknown)
    {
        Console.Error.WriteLine($"engram-discord: unknown option {unknown}. See engram-discord --help.");
        return ExitCodes.Usage;
    }
    if (parse.GetValue(tokenFile) is { } file)
    {
        configuration.Add($"--Discord:token_file={file.FullName}");
    }
    var addresses = parse.GetValue(daemons) ?? [];
    for (var i = 0; i < addresses.Length; i++)
    {
        configuration.Add($"--Discord:daemon:addresses:{i}={addresses[i]}");
    }
    var (host, problems) = BotHost.Build([.. configuration], parse.GetValue(configFile)?.FullName);
    if (host is null)
    {
        Console.Error.WriteLine("engram-discord: cannot start:");
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"  - {problem}");
        }
        return ExitCodes.Configuration;
    }
    var exit = host.Services.GetRequiredService<BotExit>();
    await host.RunAsync(cancellationToken); // disposes the host
    return exit.Code;
});
return await root.Parse(args).InvokeAsync();
