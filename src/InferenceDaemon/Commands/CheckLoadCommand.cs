using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Engram.Inference.Engine;
using Engram.Inference.Lifecycle;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>engram-daemon check-load --profile NAME</c>: internal. <c>check</c> runs it as a child process to load one
/// model, so a model that crashes the native loader ends the child, not the checker: the checker's verdict is
/// always an exit code and a message. Prints one JSON line with the outcome.
/// </summary>
internal static partial class CheckLoadCommand
{
    public const string Verb = "check-load";
    private static readonly Option<string> Profile = new("--profile") { Description = "the profile to load", Required = true };

    public static Command Create(IReadOnlyList<string> overrides)
    {
        var command = new Command(Verb, "internal: load one profile's model and report how it went") { Profile };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) =>
            RunAsync(CommonOptions.ConfigurationArgs(parse, overrides), parse.GetValue(Profile)!, Console.Out, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> configurationArgs, string profile, TextWriter output, CancellationToken cancellationToken)
    {
        var state = Directory.CreateTempSubdirectory("engram-check-load-");
        try
        {
            return await LoadAsync(configurationArgs, state.FullName, profile, output, cancellationToken);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static async Task<int> LoadAsync(IReadOnlyList<string> configurationArgs, string stateDirectory, string profile, TextWriter output,
        CancellationToken cancellationToken)
    {
        await using var app = DaemonHost.Build(configurationArgs, CheckCommand.QuietPrivateState(stateDirectory));
        var slot = app.Services.GetRequiredService<ModelRegistry>().Find(profile)
            ?? throw new InvalidOperationException($"no profile '{profile}'");
        await app.Services.GetRequiredService<ModelLoader>().LoadAsync(slot, validateOnly: false, cancellationToken);
        var loadMs = slot.LoadTime?.TotalMilliseconds;
        if (slot.Unload() is { } model)
        {
            await model.DisposeAsync();
        }
        await output.WriteLineAsync(JsonSerializer.Serialize(new Outcome(slot.Failure, loadMs), OutcomeJson.Default.Outcome));
        return CheckCommand.ExitCodeOf(slot.Failure);
    }

    /// <summary>What the child reports.</summary>
    internal sealed record Outcome(ModelFailure? Failure, double? LoadMs);

    /// <summary>The child's one line, compiled ahead of time (one JSON line: not indented).</summary>
    [JsonSerializable(typeof(Outcome))]
    internal sealed partial class OutcomeJson : JsonSerializerContext;

    /// <summary>The parent's side: loads one profile in a child and turns however the child ended into a verdict.</summary>
    public static async Task<Outcome> LoadInChildAsync(IReadOnlyList<string> configurationArgs, string profile, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var info = HostProgram.StartInfo([Verb, "--profile", profile, .. configurationArgs]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start the check child process");
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await child.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            child.Kill(entireProcessTree: true);
            return new Outcome(new ModelFailure(FailureClass.Runtime, "load_timeout",
                $"loading the model did not finish within {timeout.TotalSeconds:0} s (load_timeout_seconds)",
                "check the storage and the runtime; a hung load stops the daemon's watchdog too"), null);
        }
        var report = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        if (child.ExitCode is 0 or ExitCodes.ArtifactFailure or ExitCodes.PlatformFailure or ExitCodes.RuntimeFailure && report is not null)
        {
            return JsonSerializer.Deserialize(report!, OutcomeJson.Default.Outcome)!;
        }
        var errors = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = string.Join(" | ", errors.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("ASSERT", StringComparison.Ordinal)
            || l.Contains("abort", StringComparison.OrdinalIgnoreCase)).TakeLast(3).DefaultIfEmpty(errors.LastOrDefault() ?? ""));
        return new Outcome(new ModelFailure(FailureClass.Runtime, "crashed_during_load",
            $"loading the model killed the loading process ({SignalName(child.ExitCode)}){(last.Length > 0 ? ": " + last : "")}",
            "the file or the runtime is broken: reconvert or download the model again, or report the runtime's message"), null);
    }

    /// <summary>Exit codes 128+N are deaths by signal N.</summary>
    public static string SignalName(int exitCode) => exitCode switch
    {
        134 => "SIGABRT, exit 134",
        139 => "SIGSEGV, exit 139",
        137 => "SIGKILL, exit 137",
        135 => "SIGBUS, exit 135",
        136 => "SIGFPE, exit 136",
        > 128 => $"signal {exitCode - 128}, exit {exitCode}",
        _ => $"exit {exitCode}",
    };
}
