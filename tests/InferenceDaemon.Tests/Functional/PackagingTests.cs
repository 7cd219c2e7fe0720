using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Engram.Inference.Backends.Llama;
using Engram.Contract.V1;
using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// scripts/publish.sh makes a self-contained linux-x64 package whose daemon starts and serves the built-in model; built
/// on an x64 machine, the daemon is a native AOT binary that checks models and validates its configuration as the build does.
/// </summary>
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

        var program = Path.Combine(package, "daemon", "engram-daemon");
        await using var daemon = await DaemonProcess.StartAsync([], executable: program);
        await daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        var request = new GenerateRequest();
        request.Messages.Add(new ChatMessage { Role = "user", Content = "What is 2+2?" });
        var recording = await RecordAsync(daemon.Client, request).WithTimeout();

        Assert.Equal("4", recording.Text);
        // llama.cpp is the package's own build for this platform, the best this CPU runs (not LLamaSharp's fallback).
        Assert.Equal(["linux-x64"], Directory.GetDirectories(Path.Combine(package, "daemon", "runtimes")).Select(Path.GetFileName));
        var build = Path.Combine(package, "daemon", "runtimes", "linux-x64", "native",
            LlamaNativeBuild.X64Variant(LlamaNativeBuild.ThisMachine()), "libllama.so");
        Assert.Contains(Path.GetFullPath(build), File.ReadAllText($"/proc/{daemon.ProcessId}/maps"));

        if (RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return; // native AOT compiles only for the machine's own platform: this package's daemon runs on the JIT
        }
        Assert.False(File.Exists(Path.Combine(package, "daemon", "engram-daemon.dll")), "the daemon is native code, not an assembly");
        Assert.False(File.Exists(Path.Combine(package, "daemon", "libcoreclr.so")), "the daemon carries no JIT runtime");
        // check: its report (JSON written by generated code) and the trial load in a child process, the binary itself.
        var (checkExit, checkOutput) = await DaemonProcess.RunToExitAsync(["check", "--json"], executable: program);
        Assert.True(checkExit == 0, checkOutput);
        var model = JsonDocument.Parse(checkOutput[checkOutput.IndexOf('{')..]).RootElement.GetProperty("models")[0];
        Assert.True(model.GetProperty("ok").GetBoolean());
        Assert.True(model.GetProperty("load_ms").GetDouble() > 0);
        Assert.StartsWith("GGUF", model.GetProperty("artifact").GetProperty("format").GetString());
        // The ranges declared on the options are enforced without reflection.
        var (invalidExit, invalidOutput) = await DaemonProcess.RunToExitAsync(["--Engram:write_stall_seconds=0"], executable: program);
        Assert.Equal(78, invalidExit);
        Assert.Contains("WriteStallSeconds must be between 1 and 300", invalidOutput);
    }
}
