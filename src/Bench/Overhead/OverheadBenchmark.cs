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

/// <summary>One generation's figures as seen by its caller.</summary>
public sealed record OverheadSample(string Path, double TimeToFirstTokenMs, double DecodeTokensPerSecond, int Tokens);

/// <summary>The result of <see cref="OverheadBenchmark"/>: both paths' samples and the daemon's cost.</summary>
public sealed record OverheadResult(IReadOnlyList<OverheadSample> InProcess, IReadOnlyList<OverheadSample> Daemon)
{
    public Summary InProcessDecode => Summary.Of(InProcess.Select(s => s.DecodeTokensPerSecond));
    public Summary DaemonDecode => Summary.Of(Daemon.Select(s => s.DecodeTokensPerSecond));
    public Summary InProcessFirstToken => Summary.Of(InProcess.Select(s => s.TimeToFirstTokenMs));
    public Summary DaemonFirstToken => Summary.Of(Daemon.Select(s => s.TimeToFirstTokenMs));

    /// <summary>Daemon decode tok/s as a share of in-process decode tok/s (medians).</summary>
    public double DecodeRatio => DaemonDecode.Median / InProcessDecode.Median;

    /// <summary>Milliseconds the daemon adds to the first token (medians).</summary>
    public double AddedFirstTokenMs => DaemonFirstToken.Median - InProcessFirstToken.Median;
}

/// <summary>
/// The same model run by the same engine in this process (no transport; composed exactly as the daemon composes
/// it) and by a real engram-daemon process on a loopback port (Kestrel, HTTP/2, protobuf, the client library),
/// interleaved A B / B A so drift hits both. Time to first token and decode tok/s are measured by the caller in
/// both paths, so they include what a client really waits for.
/// </summary>
public sealed class OverheadBenchmark(string modelPath, int threads, int tokens, string prompt, string? daemonExecutable = null)
{
    public async Task<OverheadResult> RunAsync(int runs, int warmup, Action<string> progress, CancellationToken cancellationToken)
    {
        var maxNewTokens = Math.Max(tokens, 1024);
        await using var daemon = await DaemonChild.StartAsync(daemonExecutable,
            ["--model", modelPath, $"--Engram:profiles:default:threads={threads}", $"--Engram:profiles:default:max_new_tokens={maxNewTokens}",
             "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Engram=Warning"], cancellationToken);
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = daemon.Address });
        await client.WaitForDefaultModelAsync(TimeSpan.FromMinutes(10), cancellationToken);

        using var host = InProcessEngine(maxNewTokens);
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

        var inProcess = new List<OverheadSample>();
        var viaDaemon = new List<OverheadSample>();
        try
        {
            for (var i = 0; i < warmup + runs; i++)
            {
                var measured = i >= warmup;
                var order = i % 2 == 0 ? new[] { true, false } : [false, true];
                foreach (var local in order)
                {
                    var sample = local ? await RunInProcessAsync(engine, cancellationToken) : await RunDaemonAsync(client, cancellationToken);
                    if (measured)
                    {
                        (local ? inProcess : viaDaemon).Add(sample);
                    }
                    progress($"{(measured ? $"run {i - warmup + 1}/{runs}" : $"warm-up {i + 1}/{warmup}")} {sample.Path,-10} " +
                        $"ttft {sample.TimeToFirstTokenMs,7:0.0} ms  decode {sample.DecodeTokensPerSecond,6:0.0} tok/s  ({sample.Tokens} tokens)");
                }
            }
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
        return new OverheadResult(inProcess, viaDaemon);
    }

    // The engine as the daemon puts it together (AddInferenceEngine), with the profile the daemon's --model makes.
    private IHost InProcessEngine(int maxNewTokens)
    {
        var profile = new ModelProfile
        {
            Name = "default",
            ModelPath = modelPath,
            Backend = BackendNames.Llama,
            MaxContextLen = 2048,
            DefaultMaxNewTokens = 256,
            MaxNewTokens = maxNewTokens,
            Threads = threads,
            QueueSize = 8,
            DefaultSampling = new SamplingSettings(0.7f, 40, 0.9f, null),
            RequestTimeout = TimeSpan.FromMinutes(5),
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

    private async Task<OverheadSample> RunInProcessAsync(GenerationEngine engine, CancellationToken cancellationToken)
    {
        var request = new GenerationRequest
        {
            RequestId = "overhead",
            Input = new PromptInput(prompt, []),
            MaxNewTokens = tokens,
            Temperature = 0,
        };
        var clock = new CallerClock();
        await foreach (var item in engine.RunAsync(request, cancellationToken))
        {
            if (item is TextDelta or GenerationFinished { Timings.GeneratedTokens: > 0 })
            {
                clock.Token(item is TextDelta delta ? delta.TokensSoFar : ((GenerationFinished)item).Timings.GeneratedTokens);
            }
        }
        return clock.Sample("in-process");
    }

    private async Task<OverheadSample> RunDaemonAsync(EngramDaemonClient client, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { Prompt = prompt, MaxNewTokens = tokens, Temperature = 0 };
        var clock = new CallerClock();
        await foreach (var update in client.GenerateAsync(request, cancellationToken))
        {
            switch (update)
            {
                case GenerationText text:
                    clock.Token(text.TokensSoFar);
                    break;
                case GenerationCompleted done when done.Details.Timings.GeneratedTokens > 0:
                    clock.Token(done.Details.Timings.GeneratedTokens);
                    break;
            }
        }
        return clock.Sample("daemon");
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

        public OverheadSample Sample(string path)
        {
            var ttft = _first is { } f ? TimeProvider.System.GetElapsedTime(_sent, f).TotalMilliseconds : double.NaN;
            var decodeSeconds = _first is { } first ? TimeProvider.System.GetElapsedTime(first, _last).TotalSeconds : 0;
            var rate = decodeSeconds > 0 ? (_count - _firstCount) / decodeSeconds : double.NaN;
            return new OverheadSample(path, ttft, rate, _count);
        }
    }
}
