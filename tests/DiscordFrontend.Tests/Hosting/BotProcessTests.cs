using System.Diagnostics;
using Engram.DiscordFrontend.Tests.Fakes;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.Hosting;

/// <summary>engram-discord as a process: how it starts, and how it stops when Discord or its configuration says no.</summary>
public sealed class BotProcessTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryLayout.DiscordAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("DISCORD_BOT_TOKEN");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WithTimeout();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string[] AgainstFake(FakeDiscordServer discord) =>
        [$"--Discord:api_base_url={discord.ApiBaseUrl}", "--Discord:gateway:reconnect_min_ms=50", "--Discord:gateway:identify_interval_ms=200"];

    [Fact]
    public async Task RejectedTokenOnTheGateway_StopsWithExit77AndSaysWhy_AfterOneIdentify()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.Gateway.CloseOnIdentify = 4004;

        var (code, output) = await RunAsync(new Dictionary<string, string?> { ["DISCORD_BOT_TOKEN"] = FakeDiscordServer.Token }, AgainstFake(discord));

        Assert.Equal(77, code);
        Assert.Contains("4004 authentication failed", output, StringComparison.Ordinal);
        Assert.Single(discord.Gateway.Identifies);
        Assert.DoesNotContain(FakeDiscordServer.Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedTokenOnRest_StopsWithExit77WithoutRetrying()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.RejectToken = true;

        var (code, output) = await RunAsync(new Dictionary<string, string?> { ["DISCORD_BOT_TOKEN"] = "revoked-token" }, AgainstFake(discord));

        Assert.Equal(77, code);
        Assert.Contains("HTTP 401", output, StringComparison.Ordinal);
        Assert.Single(discord.Requests);
        Assert.Empty(discord.Gateway.Identifies);
    }

    [Fact]
    public async Task NoToken_IsAConfigurationError_ListedWithTheOthers()
    {
        var (code, output) = await RunAsync(new Dictionary<string, string?>(), "--Discord:replies:edit_interval_ms=10");

        Assert.Equal(78, code);
        Assert.Contains("no bot token: set DISCORD_BOT_TOKEN", output, StringComparison.Ordinal);
        Assert.Contains("edit_interval_ms 10 is below 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExplainsConfigurationAndExitCodes()
    {
        var (code, output) = await RunAsync(new Dictionary<string, string?>(), "--help");

        Assert.Equal(0, code);
        Assert.Contains("--token-file", output, StringComparison.Ordinal);
        Assert.Contains("--daemon", output, StringComparison.Ordinal);
        Assert.Contains("77 Discord refused", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var (code, output) = await RunAsync(new Dictionary<string, string?>(), "--no-such-flag");

        Assert.Equal(64, code);
        Assert.Contains("unknown option --no-such-flag", output, StringComparison.Ordinal);
    }
}
