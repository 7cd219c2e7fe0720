using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Engram.InferenceDaemon.Backends;
using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Validation;
using Engram.InferenceDaemon.Validation.Platform;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// <c>engram-daemon check</c>: the daemon's own validation for an operator at the console. Every
/// configured profile (or <c>--model</c>) is checked as the daemon would before serving it: platform,
/// artifact, memory, then a real load (unless <c>--no-load</c>). The exit code names the first failure's class.
/// </summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(DaemonCommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        var json = commandLine.Flags.Contains("--json");
        var load = !commandLine.Flags.Contains("--no-load");
        await using var app = DaemonHost.Build(commandLine.ConfigurationArgs, configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Engram"] = "Warning" }));
        var catalog = app.Services.GetRequiredService<ProfileCatalog>();
        var validator = app.Services.GetRequiredService<ModelValidator>();
        var backends = app.Services.GetServices<IInferenceBackend>().ToArray();
        var platform = validator.Probe.Run(npuRequired: catalog.Profiles.Any(p => p.Backend == "rkllm"));

        var results = new List<ModelCheckResult>();
        foreach (var profile in catalog.Profiles)
        {
            var validation = validator.Validate(profile, profile.VerifyChecksum);
            var failure = validation.Failure;
            double? loadMs = null;
            if (failure is null && load)
            {
                (failure, loadMs) = await TryLoadAsync(profile, backends, cancellationToken);
            }
            results.Add(new ModelCheckResult(profile.Name, profile.Backend, profile.ModelPath, validation, failure, loadMs));
        }

        var exitCode = ExitCodeOf(results.Select(r => r.Failure).FirstOrDefault(f => f is not null));
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                platform = new { root = platform.Root, checks = platform.Checks.Select(c => new { name = c.Name, status = c.Status.ToString().ToLowerInvariant(), value = c.Value, remedy = c.Remedy }) },
                models = results.Select(r => new
                {
                    name = r.Name,
                    backend = r.Backend,
                    path = r.Path,
                    ok = r.Failure is null,
                    failure_class = r.Failure?.Class.ToString().ToLowerInvariant(),
                    failure_kind = r.Failure?.Kind,
                    detail = r.Failure?.Detail,
                    remedy = r.Failure?.Remedy,
                    artifact = r.Validation.Facts,
                    estimated_bytes = r.Validation.EstimatedBytes,
                    load_ms = r.LoadMs,
                }),
                exit_code = exitCode,
            }, JsonOptions));
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
            await output.WriteLineAsync($"model {result.Name} ({result.Backend}) {result.Path}");
            if (result.Validation.Facts is { } facts)
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
                await output.WriteLineAsync($"  memory: needs about {result.Validation.EstimatedBytes / 1048576} MiB");
                await output.WriteLineAsync(result.LoadMs is { } ms ? $"  load: ok in {ms:0} ms" : "  load: skipped (--no-load)");
            }
        }
        await output.WriteLineAsync(exitCode == ExitCodes.Ok ? "result: ok" : $"result: failed (exit code {exitCode})");
        return exitCode;
    }

    private static async Task<(ValidationFailure?, double?)> TryLoadAsync(ModelProfile profile, IInferenceBackend[] backends, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        try
        {
            await using var model = await backends.For(profile).LoadAsync(profile, cancellationToken);
            return (null, started.Elapsed.TotalMilliseconds);
        }
        catch (ModelLoadException ex)
        {
            return (ex.Failure, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (new ValidationFailure(FailureClass.Runtime, "native_error", ex.Message, "see the runtime's messages above"), null);
        }
    }

    public static int ExitCodeOf(ValidationFailure? failure) => failure?.Class switch
    {
        null => ExitCodes.Ok,
        FailureClass.Artifact => ExitCodes.ArtifactFailure,
        FailureClass.Platform => ExitCodes.PlatformFailure,
        _ => ExitCodes.RuntimeFailure,
    };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    private sealed record ModelCheckResult(string Name, string Backend, string Path, ModelValidation Validation, ValidationFailure? Failure, double? LoadMs);
}
