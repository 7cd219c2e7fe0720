using Engram.Bench.Daemons;
using Engram.Bench.Measurement;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.Inference.Engine;
using Engram.Inference.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Engram.Bench.Overhead;

/// <summary>
/// One generation's figures as seen by its caller, with the prefill time the engine itself measured. The first
/// token's overhead (the caller's wait less the engine's prefill) is what the path adds around the engine: the
/// prefill's own run-to-run noise (tens of ms) cancels out of it, so a difference of one millisecond can be seen.
/// </summary>
public sealed record OverheadSample(string Path, double TimeToFirstTokenMs, double DecodeTokensPerSecond, int Tokens, double PrefillMs)
{
    public double FirstTokenOverheadMs => TimeToFirstTokenMs - PrefillMs;
}

/// <summary>
/// One thread count's samples on the three paths: the engine's own loop, the engine in-process, the daemon.
/// The i-th sample of each path comes from the same round, so ratios and differences are taken per round
/// (paired) before their median: drift of the machine between rounds moves both sides of a pair alike.
/// </summary>
/// <param name="RoundTripMs">Per round, the median of a few GetHealth calls to the idle daemon: the loopback gRPC round trip that
/// any request and its first reply pay at least, against which the daemon's first-token figure is read.</param>
public sealed record OverheadResult(int Threads, IReadOnlyList<OverheadSample> Engine, IReadOnlyList<OverheadSample> InProcess,
    IReadOnlyList<OverheadSample> Daemon, IReadOnlyList<double> RoundTripMs)
{
    public Summary RoundTrip => Summary.Of(RoundTripMs);
    public Summary EngineDecode => Summary.Of(Engine.Select(s => s.DecodeTokensPerSecond));
    public Summary InProcessDecode => Summary.Of(InProcess.Select(s => s.DecodeTokensPerSecond));
    public Summary DaemonDecode => Summary.Of(Daemon.Select(s => s.DecodeTokensPerSecond));
    public Summary EngineFirstToken => Summary.Of(Engine.Select(s => s.TimeToFirstTokenMs));
    public Summary InProcessFirstToken => Summary.Of(InProcess.Select(s => s.TimeToFirstTokenMs));
    public Summary DaemonFirstToken => Summary.Of(Daemon.Select(s => s.TimeToFirstTokenMs));
    public Summary EngineFirstTokenOverhead => Summary.Of(Engine.Select(s => s.FirstTokenOverheadMs));
    public Summary InProcessFirstTokenOverhead => Summary.Of(InProcess.Select(s => s.FirstTokenOverheadMs));
    public Summary DaemonFirstTokenOverhead => Summary.Of(Daemon.Select(s => s.FirstTokenOverheadMs));

    /// <summary>Daemon decode tok/s as a share of the in-process engine's, per round (median of the rounds).</summary>
    public Summary DecodeRatio => Paired(Daemon, InProcess, static (a, b) => a.DecodeTokensPerSecond / b.DecodeTokensPerSecond);

    /// <summary>In-process engine decode tok/s as a share of the engine's own loop, per round.</summary>
    public Summary EngineRatio => Paired(InProcess, Engine, static (a, b) => a.DecodeTokensPerSecond / b.DecodeTokensPerSecond);

    /// <summary>Milliseconds the daemon adds to the first token over the in-process engine, per round, beyond the engine's prefill.</summary>
    public Summary AddedFirstTokenMs => Paired(Daemon, InProcess, static (a, b) => a.FirstTokenOverheadMs - b.FirstTokenOverheadMs);

    private static Summary Paired(IReadOnlyList<OverheadSample> a, IReadOnlyList<OverheadSample> b, Func<OverheadSample, OverheadSample, double> figure) =>
        Summary.Of(a.Zip(b, figure));
}

/// <summary>
/// The same model three ways, at each thread count, each in a process of its own: llama.cpp's decode loop driven
/// straight (<see cref="EngineCeiling"/>, in a child engram-bench), the engine composed exactly as the daemon composes
/// it, in this process (no transport), and a real engram-daemon process on a loopback port (Kestrel, HTTP/2,
/// protobuf, the client library). Rounds rotate the order so drift hits
/// all three; time to first token and decode tok/s are measured by the caller on every path, prompt reuse off, so
/// each run prefills its whole prompt. Before the rounds, each managed path serves short requests until .NET's
/// tiered JIT has had the calls it needs to optimize the per-request code (30 calls per method, then a background
/// recompile): a daemon that has been up for a while runs that code, not the first, unoptimized tier.
/// </summary>
/// <param name="engineCpus">The engine's CPUs on every path (the profile's cpu_affinity): with the bench itself started on
/// the other CPUs (<c>taskset</c>), the engine has its cores and the transport and clients theirs, as on a board.</param>
public sealed class OverheadBenchmark(string modelPath, int tokens, string prompt, string? daemonExecutable = null, CpuAffinity? engineCpus = null)
{
    private readonly CpuAffinity _engineCpus = engineCpus ?? CpuAffinity.Auto;

    private const int ContextLength = 2048;

    public async Task<OverheadResult> RunAsync(int threads, int runs, int warmup, int tierUp, Action<string> progress, CancellationToken cancellationToken)
    {
        var maxNewTokens = Math.Max(tokens, 1024);
        await using var daemon = await DaemonChild.StartAsync(daemonExecutable,
            ["--model", modelPath, $"--Engram:profiles:default:threads={threads}", $"--Engram:profiles:default:max_new_tokens={maxNewTokens}",
             $"--Engram:profiles:default:max_context_len={ContextLength}", "--Engram:profiles:default:prompt_cache_slots=0",
             $"--Engram:profiles:default:cpu_affinity={_engineCpus}"],
            cancellationToken);
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = daemon.Address });
        await client.WaitForDefaultModelAsync(TimeSpan.FromMinutes(10), cancellationToken);

        using var host = InProcessEngine(threads, maxNewTokens);
        await host.StartAsync(cancellationToken);
        var registry = host.Services.GetRequiredService<ModelRegistry>();
        while (registry.Default.State is not (Inference.Engine.ModelState.Ready or Inference.Engine.ModelState.Failed))
        {
            await Task.Delay(50, cancellationToken);
        }
        if (registry.Default.Failure is { } failure)
        {
            throw new UserFacingException($"the in-process engine could not load the model: {failure}");
        }
        var engine = host.Services.GetRequiredService<GenerationEngine>();
        // The engine's own tokens for the prompt (template and all), so all three paths prefill the same sequence.
        var promptTokens = registry.Default.Model!.Prepare(new PromptInput(prompt, [])).TokenIds;
        using var ceiling = await EngineCeilingProcess.StartAsync(modelPath, threads, ContextLength, promptTokens, _engineCpus.Cpus, cancellationToken);

        var samples = new Dictionary<string, List<OverheadSample>> { ["engine"] = [], ["in-process"] = [], ["daemon"] = [] };
        var roundTrips = new List<double>();
        string[] paths = ["engine", "in-process", "daemon"];
        try
        {
            if (tierUp > 0)
            {
                progress($"threads {threads} tier-up: {tierUp} short requests on the in-process engine and on the daemon");
                for (var i = 0; i < tierUp; i++)
                {
                    await RunInProcessAsync(engine, 2, cancellationToken);
                    await RunDaemonAsync(client, 2, cancellationToken);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the JIT's background recompiles
            }
            for (var i = 0; i < warmup + runs; i++)
            {
                var measured = i >= warmup;
                // Each round starts with the next path: over three rounds every path runs first, second and last.
                foreach (var path in paths.Skip(i % 3).Concat(paths.Take(i % 3)))
                {
                    var sample = path switch
                    {
                        "engine" => await ceiling.RunAsync(tokens, cancellationToken),
                        "in-process" => await RunInProcessAsync(engine, tokens, cancellationToken),
                        _ => await RunDaemonAsync(client, tokens, cancellationToken),
                    };
                    if (measured)
                    {
                        samples[path].Add(sample);
                        if (path == "daemon")
                        {
                            roundTrips.Add(await RoundTripAsync(client, cancellationToken));
                        }
                    }
                    progress($"threads {threads} {(measured ? $"run {i - warmup + 1}/{runs}" : $"warm-up {i + 1}/{warmup}")} {sample.Path,-10} " +
                        $"ttft {sample.TimeToFirstTokenMs,7:0.0} ms  decode {sample.DecodeTokensPerSecond,6:0.0} tok/s  ({sample.Tokens} tokens)");
                }
            }
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
        return new OverheadResult(threads, samples["engine"], samples["in-process"], samples["daemon"], roundTrips);
    }

    // The median of a few unary calls on the connection the generations use, with the engine idle.
    private static async Task<double> RoundTripAsync(EngramDaemonClient client, CancellationToken cancellationToken)
    {
        const int Calls = 15;
        var times = new double[Calls];
        for (var i = 0; i < Calls; i++)
        {
            var started = TimeProvider.System.GetTimestamp();
            await client.GetHealthAsync(cancellationToken);
            times[i] = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[Calls / 2];
    }

    // The engine as the daemon puts it together (AddInferenceEngine), with the profile the daemon's --model makes.
    private IHost InProcessEngine(int threads, int maxNewTokens)
    {
        var profile = new ModelProfile
        {
            Name = "default",
            ModelPath = modelPath,
            Backend = BackendNames.Llama,
            MaxContextLen = ContextLength,
            DefaultMaxNewTokens = 256,
            MaxNewTokens = maxNewTokens,
            Threads = threads,
            QueueSize = 8,
            DefaultSampling = new SamplingSettings(0.7f, 40, 0.9f, null),
            RequestTimeout = TimeSpan.FromMinutes(5),
            PromptCacheSlots = 0,
            CpuAffinity = _engineCpus,
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddInferenceEngine(new InferenceEngineOptions
        {
            Catalog = new ProfileCatalog([profile], profile.Name),
            StateDirectory = Directory.CreateTempSubdirectory("engram-bench-").FullName,
        });
        return builder.Build();
    }

    private async Task<OverheadSample> RunInProcessAsync(GenerationEngine engine, int maxNewTokens, CancellationToken cancellationToken)
    {
        var request = new GenerationRequest
        {
            RequestId = "overhead",
            Input = new PromptInput(prompt, []),
            MaxNewTokens = maxNewTokens,
            Temperature = 0,
        };
        var clock = new CallerClock();
        var prefillMs = double.NaN;
        await foreach (var item in engine.RunAsync(request, cancellationToken))
        {
            switch (item)
            {
                case TextDelta delta:
                    clock.Token(delta.TokensSoFar);
                    break;
                case GenerationFinished finished:
                    clock.Token(finished.Timings.GeneratedTokens);
                    prefillMs = finished.Timings.Prefill.TotalMilliseconds;
                    break;
            }
        }
        return clock.Sample("in-process", prefillMs);
    }

    private async Task<OverheadSample> RunDaemonAsync(EngramDaemonClient client, int maxNewTokens, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { Prompt = prompt, MaxNewTokens = maxNewTokens, Temperature = 0 };
        var clock = new CallerClock();
        var prefillMs = double.NaN;
        await foreach (var update in client.GenerateAsync(request, cancellationToken))
        {
            switch (update)
            {
                case GenerationText text:
                    clock.Token(text.TokensSoFar);
                    break;
                case GenerationCompleted done:
                    clock.Token(done.Details.Timings.GeneratedTokens);
                    prefillMs = done.Details.Timings.PrefillMs;
                    break;
            }
        }
        return clock.Sample("daemon", prefillMs);
    }

    /// <summary>The caller's view: when the request was sent, when text first arrived, when the last token arrived.</summary>
    private sealed class CallerClock
    {
        private readonly long _sent = TimeProvider.System.GetTimestamp();
        private long? _first;
        private long _last;
        private int _firstCount;
        private int _count;

        public void Token(int tokensSoFar)
        {
            if (tokensSoFar <= _count)
            {
                return;
            }
            var now = TimeProvider.System.GetTimestamp();
            if (_first is null)
            {
                _first = now;
                _firstCount = tokensSoFar;
            }
            _last = now;
            _count = tokensSoFar;
        }

        public OverheadSample Sample(string path, double prefillMs)
        {
            var ttft = _first is { } f ? TimeProvider.System.GetElapsedTime(_sent, f).TotalMilliseconds : double.NaN;
            var decodeSeconds = _first is { } first ? TimeProvider.System.GetElapsedTime(first, _last).TotalSeconds : 0;
            var rate = decodeSeconds > 0 ? (_count - _firstCount) / decodeSeconds : double.NaN;
            return new OverheadSample(path, ttft, rate, _count, prefillMs);
        }
    }
}
