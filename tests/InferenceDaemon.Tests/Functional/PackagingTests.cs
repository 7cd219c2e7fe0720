using System.Diagnostics;
using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>scripts/publish.sh makes a self-contained linux-x64 package whose daemon starts and serves the built-in model.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("engram-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task PublishScript_MakesARunnableSelfContainedDaemon()
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryLayout.Root, "scripts", "publish.sh"), "linux-x64"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryLayout.Root,
        };
        info.Environment["OUT"] = _output;
        using var publish = Process.Start(info)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WithTimeout(TimeSpan.FromMinutes(8));
        Assert.True(publish.ExitCode == 0, await output + await errors);

        var package = Path.Combine(_output, "engram-linux-x64");
        Assert.True(File.Exists(Path.Combine(_output, "engram-linux-x64.tar.gz")));
        Assert.True(File.Exists(Path.Combine(package, "deploy", "systemd", "engram-daemon.service")));
        Assert.True(File.Exists(Path.Combine(package, "docs", "operations.md")));
        Assert.True(File.Exists(Path.Combine(package, "bench", "engram-bench")));
        Assert.True(File.Exists(Path.Combine(package, "deploy", "systemd", "engram-discord.service")));
        Assert.True(File.Exists(Path.Combine(package, "deploy", "discord.example.json")));
        Assert.True(File.Exists(Path.Combine(package, "discord", "engram-discord")));
        Assert.True(File.Exists(Path.Combine(package, "discord", "appsettings.json")));
        Assert.True(File.Exists(Path.Combine(package, "daemon", "models", "engram-tiny-chat.gguf")));

        await using var daemon = await DaemonProcess.StartAsync([], executable: Path.Combine(package, "daemon", "engram-daemon"));
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        var request = new GenerateRequest();
        request.Messages.Add(new ChatMessage { Role = "user", Content = "What is 2+2?" });
        var recording = await RecordAsync(daemon.Client, request).WithTimeout();

        Assert.Equal("4", recording.Text);
    }
}
