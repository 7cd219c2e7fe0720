using Engram.Inference.Engine;
using Microsoft.Extensions.Options;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>Checks the whole configuration at start and lists every problem, each naming the key and the value.</summary>
public sealed class DaemonOptionsValidator : IValidateOptions<DaemonOptions>
{
    public ValidateOptionsResult Validate(string? name, DaemonOptions options)
    {
        var errors = new List<string>();
        // The ranges declared on the options themselves (DaemonOptions, pressure, each profile).
        AddRangeErrors(new DaemonOptionRanges().Validate(null, options), DaemonOptions.Section, errors);
        if (!ListenAddress.TryParse(options.Listen, out var listen, out var listenError))
        {
            errors.Add($"Engram:listen: {listenError}");
        }
        else if (!listen.IsLocal && !options.Insecure && (options.TlsCertificate is null || options.ResolveAuthToken() is null))
        {
            errors.Add($"Engram:listen {options.Listen} is reachable from other machines: it needs TLS (Engram:tls_certificate and " +
                "Engram:tls_key) and a bearer token (Engram:auth_token or Engram:auth_token_file), or --insecure to accept the risk");
        }
        if (options.TlsCertificate is not null && (!File.Exists(options.TlsCertificate) || options.TlsKey is null || !File.Exists(options.TlsKey)))
        {
            errors.Add($"Engram:tls_certificate {options.TlsCertificate} and Engram:tls_key {options.TlsKey} must both name existing PEM files");
        }
        if (options.OpenAiListen is { Length: > 0 } openAi)
        {
            if (!ListenAddress.TryParse(openAi, out var openAiAddress, out var openAiError) || openAiAddress.UnixSocket is not null)
            {
                errors.Add($"Engram:openai_listen: {(openAiError.Length > 0 ? openAiError : "the OpenAI-compatible API needs a HOST:PORT")}");
            }
            else if (openAiAddress.Port == 0)
            {
                errors.Add($"Engram:openai_listen {openAi} needs a port of its own (tools are configured with it)");
            }
            else if (!openAiAddress.IsLocal && !options.Insecure && (options.TlsCertificate is null || options.ResolveAuthToken() is null))
            {
                errors.Add($"Engram:openai_listen {openAi} is reachable from other machines: it needs TLS (Engram:tls_certificate and " +
                    "Engram:tls_key) and a bearer token (Engram:auth_token or Engram:auth_token_file), or --insecure to accept the risk");
            }
        }
        if (options.Metrics is { Length: > 0 } metrics && (!ListenAddress.TryParse(metrics, out var metricsAddress, out var metricsError) || metricsAddress.UnixSocket is not null))
        {
            errors.Add($"Engram:metrics: {(metricsError.Length > 0 ? metricsError : "metrics need a HOST:PORT")}");
        }
        else if (options.Metrics is { Length: > 0 } publicMetrics && ListenAddress.TryParse(publicMetrics, out var reachable, out _)
                 && !reachable.IsLocal && !options.MetricsPublic)
        {
            errors.Add($"Engram:metrics {options.Metrics} is reachable from other machines: set Engram:metrics_public=true to choose that " +
                "(and Engram:metrics_requires_token=true to ask for the bearer token), or listen on loopback");
        }
        if (options.MetricsRequiresToken && options.ResolveAuthToken() is null)
        {
            errors.Add("Engram:metrics_requires_token needs a token (Engram:auth_token or Engram:auth_token_file)");
        }
        if (listen.UnixSocket is { } socket && System.Text.Encoding.UTF8.GetByteCount(socket) > ListenAddress.MaxUnixSocketPathBytes)
        {
            errors.Add($"Engram:listen unix:{socket} is {System.Text.Encoding.UTF8.GetByteCount(socket)} bytes long; a unix socket path may have at most " +
                $"{ListenAddress.MaxUnixSocketPathBytes}");
        }
        if (!UnixSocketModes.TryParse(options.UnixSocketMode, out _))
        {
            errors.Add($"Engram:unix_socket_mode '{options.UnixSocketMode}' is not an octal mode such as 0660");
        }
        if (options.LlamaLibraryDirectory is { Length: > 0 } llama && !File.Exists(Path.Combine(llama, "libllama.so")))
        {
            errors.Add($"Engram:llama_lib_dir {llama} has no libllama.so");
        }
        options.ResolveDaemonCpuAffinity(errors);
        if (options.AuthTokenFile is { Length: > 0 } tokenFile && !File.Exists(tokenFile))
        {
            errors.Add($"Engram:auth_token_file {tokenFile} does not exist");
        }
        if (options.Backend is { } shortcutBackend && !BackendNames.IsKnown(shortcutBackend))
        {
            errors.Add($"--backend '{shortcutBackend}' is not a known backend (known: {string.Join(", ", BackendNames.All)})");
        }
        var names = ProfileCatalogFactory.EffectiveProfileNames(options);
        foreach (var (profileName, profile) in options.Profiles)
        {
            ValidateProfile(profileName, profile, options, errors);
            if (profile.Fallback is { Length: > 0 } fallback &&
                (fallback.Equals(profileName, StringComparison.OrdinalIgnoreCase) || !names.Contains(fallback, StringComparer.OrdinalIgnoreCase)))
            {
                errors.Add($"Engram:profiles:{profileName}:fallback '{fallback}' must name another profile (profiles: {string.Join(", ", names)})");
            }
        }
        if (options.DefaultModel is { Length: > 0 } defaultModel && !names.Contains(defaultModel, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Engram:default_model '{defaultModel}' names no profile (profiles: {string.Join(", ", names)})");
        }
        else if (string.IsNullOrEmpty(options.DefaultModel) && names.Count > 1 && !names.Contains(ProfileCatalogFactory.ShortcutProfileName))
        {
            errors.Add($"Engram:default_model must name one of the {names.Count} profiles ({string.Join(", ", names)})");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateProfile(string profileName, ProfileOptions profile, DaemonOptions options, List<string> errors)
    {
        var key = $"Engram:profiles:{profileName}";
        AddRangeErrors(new ProfileOptionRanges().Validate(null, profile), key, errors);
        var shortcutSuppliesModel = profileName.Equals(ProfileCatalogFactory.ShortcutProfileName, StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(options.Model);
        if (string.IsNullOrWhiteSpace(profile.Model) && !shortcutSuppliesModel)
        {
            errors.Add($"{key}:model is required (the path of the model file)");
        }
        if (!BackendNames.IsKnown(profile.Backend))
        {
            errors.Add($"{key}:backend '{profile.Backend}' is not a known backend (known: {string.Join(", ", BackendNames.All)})");
        }
        if (profile.DefaultMaxNewTokens > profile.MaxNewTokens)
        {
            errors.Add($"{key}:default_max_new_tokens ({profile.DefaultMaxNewTokens}) is above max_new_tokens ({profile.MaxNewTokens})");
        }
        if (profile.MicroBatchSize > profile.BatchSize)
        {
            errors.Add($"{key}:n_ubatch ({profile.MicroBatchSize}) is above n_batch ({profile.BatchSize})");
        }
        profile.ResolveKvCache(key, errors);
        profile.ResolveCpuAffinity(key, errors);
        var loadMode = profile.ResolveLoadMode(key, errors);
        var backend = shortcutSuppliesModel && options.Backend is { } shortcutBackend ? shortcutBackend : profile.Backend;
        if (profile.SetsKvCache && backend.Equals(BackendNames.Rkllm, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}: kv_cache_type and flash_attention apply to the llama backend only (the RKLLM runtime sets its own cache)");
        }
        if (loadMode != ModelLoadMode.Mmap && backend.Equals(BackendNames.Rkllm, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}: load_mode applies to the llama backend only (the RKLLM runtime loads the model itself)");
        }
    }

    private static void AddRangeErrors(ValidateOptionsResult result, string key, List<string> errors) =>
        errors.AddRange((result.Failures ?? []).Select(failure => $"{key}: {failure}"));
}
