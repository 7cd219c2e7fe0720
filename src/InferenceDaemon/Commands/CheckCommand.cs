using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Engram.Inference.Engine;
using Engram.Inference.Health;
using Engram.Inference.Lifecycle;
using Engram.Inference.Validation;
using Engram.Inference.Validation.Platform;
using Engram.InferenceDaemon.Hosting;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>engram-daemon check</c>: the daemon's own validation for an operator at the console. Every configured
/// profile (or <c>--model</c>) goes the way the daemon takes it into service: platform, artifact, memory, then a
/// real load (unless <c>--no-load</c>). The exit code names the first failure's class.
/// </summary>
internal static class CheckCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "print the result as JSON" };
    private static readonly Option<bool> NoLoad = new("--no-load") { Description = "validate only; do not load the models" };

    /// <summary>
    /// check's host: quiet logs, and a private state directory, so it never touches the running service's crash
    /// records, quarantine or lock.
    /// </summary>
    public static Action<IConfigurationBuilder> QuietPrivateState(string stateDirectory) => configuration =>
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Engram"] = "Warning",
            ["Engram:state_dir"] = stateDirectory,
        });

    public static Command Create(IReadOnlyList<string> overrides)
    {
        var command = new Command("check",
            "validate the platform and every configured model (or --model) as the daemon would, then load each; " +
            "exit code 0 ok, 10 artifact, 11 platform, 12 runtime failure")
        {
            Json, NoLoad,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(CommonOptions.ConfigurationArgs(parse, overrides), parse.GetValue(Json), !parse.GetValue(NoLoad), Console.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> configurationArgs, bool json, bool load, TextWriter output, CancellationToken cancellationToken)
    {
        var state = Directory.CreateTempSubdirectory("engram-check-");
        try
        {
            return await CheckAsync(configurationArgs, state.FullName, json, load, output, cancellationToken);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static async Task<int> CheckAsync(IReadOnlyList<string> configurationArgs, string stateDirectory, bool json, bool load, TextWriter output,
        CancellationToken cancellationToken)
    {
        await using var app = DaemonHost.Build(configurationArgs, QuietPrivateState(stateDirectory));
        var registry = app.Services.GetRequiredService<ModelRegistry>();
        var loader = app.Services.GetRequiredService<ModelLoader>();
        var platform = app.Services.GetRequiredService<PlatformState>().Refresh();
        var loadTimeout = TimeSpan.FromSeconds(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DaemonOptions>>().Value.LoadTimeoutSeconds);

        var results = new List<ModelCheckResult>();
        foreach (var slot in registry.Slots)
        {
            // Validation needs no native code and runs here; the load runs in a child that may crash alone.
            await loader.LoadAsync(slot, validateOnly: true, cancellationToken);
            var failure = slot.Failure;
            double? loadMs = null;
            if (failure is null && load)
            {
                (failure, loadMs) = await CheckLoadCommand.LoadInChildAsync(configurationArgs, slot.Profile.Name, loadTimeout, cancellationToken);
            }
            results.Add(new ModelCheckResult(slot.Profile, slot.Artifact, slot.EstimatedBytes, failure, loadMs));
        }
        var exitCode = ExitCodeOf(results.Select(r => r.Failure).FirstOrDefault(f => f is not null));
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(CheckReport.Of(platform, results.Select(r => r.ToReport()), exitCode),
                CheckReportJson.Default.CheckReport));
            return exitCode;
        }

        await output.WriteLineAsync($"platform (root {platform.Root}):");
        foreach (var check in platform.Checks)
        {
            var remedy = check.Status == CheckStatus.Pass ? "" : $"  -> {check.Remedy}";
            await output.WriteLineAsync($"  {check.Status.ToString().ToLowerInvariant(),-4}  {check.Name,-14} {check.Value}{remedy}");
        }
        foreach (var result in results)
        {
            await output.WriteLineAsync($"model {result.Profile.Name} ({result.Profile.Backend}) {result.Profile.ModelPath}");
            if (result.Artifact is { } facts)
            {
                var target = facts.TargetPlatform is null ? "" : $", target {facts.TargetPlatform} {facts.Dtype} ({facts.TargetSource})";
                var checksum = facts.ChecksumVerifiedIn is { } t ? $", checksum verified in {t.TotalMilliseconds:0} ms" : ", no checksum sidecar";
                await output.WriteLineAsync($"  artifact: {facts.Format} {facts.Architecture}, {facts.SizeBytes / 1048576.0:0.0} MiB{target}{checksum}");
            }
            if (result.Failure is { } failure)
            {
                await output.WriteLineAsync($"  FAILED ({failure.Class.ToString().ToLowerInvariant()}/{failure.Kind}): {failure.Detail}");
                await output.WriteLineAsync($"  remedy: {failure.Remedy}");
            }
            else
            {
                var kvCache = result.Artifact is { } planned && result.Profile.Backend == BackendNames.Llama
                    ? $" (KV cache {result.Profile.KvCache}: {ModelValidator.KvCacheBytes(result.Profile, planned) / 1048576.0:0.0} MiB for {result.Profile.MaxContextLen} tokens)"
                    : "";
                await output.WriteLineAsync($"  memory: needs about {result.EstimatedBytes / 1048576} MiB{kvCache}");
                await output.WriteLineAsync(result.LoadMs is { } ms ? $"  load: ok in {ms:0} ms" : "  load: skipped (--no-load)");
            }
        }
        await output.WriteLineAsync(exitCode == ExitCodes.Ok ? "result: ok" : $"result: failed (exit code {exitCode})");
        return exitCode;
    }

    public static int ExitCodeOf(ModelFailure? failure) => failure?.Class switch
    {
        null => ExitCodes.Ok,
        FailureClass.Artifact => ExitCodes.ArtifactFailure,
        FailureClass.Platform => ExitCodes.PlatformFailure,
        _ => ExitCodes.RuntimeFailure,
    };

    private sealed record ModelCheckResult(ModelProfile Profile, ArtifactFacts? Artifact, long EstimatedBytes, ModelFailure? Failure, double? LoadMs)
    {
        public ModelCheckReport ToReport() => new(Profile.Name, Profile.Backend, Profile.ModelPath, Failure is null,
            Failure?.Class.ToString().ToLowerInvariant(), Failure?.Kind, Failure?.Detail, Failure?.Remedy, Artifact, EstimatedBytes,
            Profile.Backend == BackendNames.Llama ? Profile.KvCache.ToString() : null, LoadMs);
    }
}
