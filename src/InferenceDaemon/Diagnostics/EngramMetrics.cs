using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;
using Engram.Inference.Health;
using Engram.Inference.Validation.Platform;
using Prometheus;

namespace Engram.InferenceDaemon.Diagnostics;

/// <summary>
/// The daemon's Prometheus metrics, in their own registry (no process-wide state). Request figures are recorded
/// as requests end; gauges (queues, model states, pressure, temperatures, crashes) are read at scrape time.
/// </summary>
public sealed class EngramMetrics
{
    private static readonly string[] States = Enum.GetNames<ModelState>().Select(s => s.ToLowerInvariant()).ToArray();

    private readonly Counter _requests;
    private readonly Counter _tokens;
    private readonly Counter _cachedPromptTokens;
    private readonly Histogram _queueWait;
    private readonly Histogram _timeToFirstToken;
    private readonly Histogram _decodeRate;

    private readonly HashSet<string> _profiles;

    public EngramMetrics(ModelRegistry registry, PressureState pressure, CrashHistory crashes, PlatformState platform)
    {
        _profiles = registry.Slots.Select(s => s.Profile.Name).ToHashSet(StringComparer.Ordinal);
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter("engram_requests_total", "Generate requests by model, outcome and gRPC status.", "model", "outcome", "status");
        _tokens = factory.CreateCounter("engram_generated_tokens_total", "Tokens generated.", "model");
        _cachedPromptTokens = factory.CreateCounter("engram_prompt_cached_tokens_total",
            "Prompt tokens whose KV cache a cached conversation already held (not prefilled again).", "model");
        _queueWait = factory.CreateHistogram("engram_queue_wait_seconds", "Time a request waited for its model.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(0.001, 4, 10) });
        _timeToFirstToken = factory.CreateHistogram("engram_time_to_first_token_seconds", "From acceptance to the first generated token.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });
        _decodeRate = factory.CreateHistogram("engram_decode_tokens_per_second", "Decode speed of each generation (engine step timings).",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.LinearBuckets(1, 4, 16) });
        var queueDepth = factory.CreateGauge("engram_queue_depth", "Requests waiting or running per model.", "model");
        var modelState = factory.CreateGauge("engram_model_state", "1 for the model's current state.", "model", "state");
        var loadTime = factory.CreateGauge("engram_model_load_seconds", "How long the model took to validate and load.", "model");
        var restarts = factory.CreateGauge("engram_restarts", "Starts that found the previous process had died in native code.");
        var lastCrash = factory.CreateGauge("engram_last_crash_timestamp_seconds", "When the native call that crashed began (Unix time; 0 if none).");
        var underPressure = factory.CreateGauge("engram_pressure", "1 while new requests go to fallback profiles.");
        var activeProfile = factory.CreateGauge("engram_active_profile", "1 for the profile the default model's requests go to now.", "profile");
        var temperature = factory.CreateGauge("engram_platform_temperature_celsius", "Thermal zone temperatures.", "zone");
        var kvUsage = factory.CreateGauge("engram_kv_cache_usage_ratio", "Share of the model's context (KV cache cells) in use, 0 to 1.", "model");
        var resident = factory.CreateGauge("engram_process_resident_bytes", "The daemon's resident memory (VmRSS), models included.");
        var runtimeInfo = factory.CreateGauge("engram_runtime_info", "1 for each loaded model's native runtime, as it reported itself at load.",
            "model", "backend", "runtime_version", "driver_version");

        Registry.AddBeforeCollectCallback(() =>
        {
            // A model that unloaded (or failed a reload) no longer has a runtime to describe.
            foreach (var labels in runtimeInfo.GetAllLabelValues().ToArray())
            {
                runtimeInfo.RemoveLabelled(labels);
            }
            foreach (var slot in registry.Slots)
            {
                var name = slot.Profile.Name;
                queueDepth.WithLabels(name).Set(slot.Queue.Depth);
                foreach (var state in States)
                {
                    modelState.WithLabels(name, state).Set(state == slot.State.ToString().ToLowerInvariant() ? 1 : 0);
                }
                loadTime.WithLabels(name).Set(slot.LoadTime?.TotalSeconds ?? 0);
                activeProfile.WithLabels(name).Set(registry.ActiveProfile(pressure.Status) == name ? 1 : 0);
                kvUsage.WithLabels(name).Set(slot.Model?.Context.UsageRatio ?? 0);
                if (slot.Model?.Runtime is { RuntimeVersion: { } version } runtime)
                {
                    runtimeInfo.WithLabels(name, slot.Profile.Backend, version, runtime.DriverVersion ?? "unknown").Set(1);
                }
            }
            resident.Set(ProcessMemory.ResidentBytes());
            restarts.Set(crashes.Restarts);
            lastCrash.Set(crashes.LastCrash?.Record.At.ToUnixTimeSeconds() ?? 0);
            underPressure.Set(pressure.Status.UnderPressure ? 1 : 0);
            foreach (var (zone, celsius) in ThermalCheck.Read(platform.Root))
            {
                temperature.WithLabels(zone).Set(celsius);
            }
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// The <c>model</c> label of a request: a configured profile's name, or <c>unknown</c>. Never the caller's
    /// text, so callers cannot create series (10,000 made-up model names stay one series).
    /// </summary>
    private string Label(string? profile) => profile is not null && _profiles.Contains(profile) ? profile : UnknownModel;

    public const string UnknownModel = "unknown";

    public void RequestRefused(string? profile, string status) => _requests.WithLabels(Label(profile), "refused", status).Inc();

    /// <summary>The caller cancelled, disconnected or passed its deadline: not a refusal by the daemon.</summary>
    public void RequestCancelled(string? profile) => _requests.WithLabels(Label(profile), "cancelled", "Cancelled").Inc();

    public void RequestEnded(string? profile, FinishReason reason, GenerationTimings timings, string status)
    {
        var model = Label(profile);
        _requests.WithLabels(model, reason.ToString().ToLowerInvariant(), status).Inc();
        _tokens.WithLabels(model).Inc(timings.GeneratedTokens);
        _cachedPromptTokens.WithLabels(model).Inc(timings.CachedPromptTokens);
        _queueWait.WithLabels(model).Observe(timings.Queue.TotalSeconds);
        if (timings.GeneratedTokens > 0)
        {
            _timeToFirstToken.WithLabels(model).Observe(timings.TimeToFirstToken.TotalSeconds);
        }
        if (timings.GeneratedTokens > 1)
        {
            _decodeRate.WithLabels(model).Observe(timings.DecodeTokensPerSecond);
        }
    }
}
