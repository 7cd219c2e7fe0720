using Engram.Bench.Measurement;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.InferenceDaemon.Backends.Llama;
using Engram.InferenceDaemon.Engine;
using Engram.InferenceDaemon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
/// The same model run by the same engine in this process (no transport) and through the daemon host on a
/// loopback port (Kestrel, HTTP/2, protobuf, the client library), interleaved A B / B A so drift hits both.
/// Time to first token and decode tok/s are measured by the caller in both paths, so they include what a
/// client really waits for.
/// </summary>
public sealed class OverheadBenchmark(string modelPath, int threads, int tokens, string prompt)
{
    public async Task<OverheadResult> RunAsync(int runs, int warmup, Action<string> progress, CancellationToken cancellationToken)
    {
        var profileArgs = new[] { "--listen", "127.0.0.1:0", "--model", modelPath, "--Engram:profiles:default:threads=" + threads,
            "--Engram:profiles:default:max_new_tokens=" + Math.Max(tokens, 1024), "--Logging:LogLevel:Default=Warning" };
        await using var daemon = DaemonHost.Build(profileArgs);
        await daemon.StartAsync(cancellationToken);
        var address = daemon.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new EngramDaemonClient(new DaemonClientOptions { Address = address });
        await client.WaitForDefaultModelAsync(TimeSpan.FromMinutes(10), cancellationToken);

        var profile = daemon.Services.GetRequiredService<ProfileCatalog>().Profiles.Single();
        var registry = new ModelRegistry(new ProfileCatalog([profile], profile.Name));
        var backend = new LlamaBackend(NullLogger<LlamaBackend>.Instance, NullLoggerFactory.Instance);
        var model = await backend.LoadAsync(profile, cancellationToken);
        registry.Default.MarkReady(model, TimeSpan.Zero);
        var crashMarker = new Engram.InferenceDaemon.Health.CrashMarker(Directory.CreateTempSubdirectory("engram-bench-").FullName, TimeProvider.System);
        var engine = new GenerationEngine(registry, new Engram.InferenceDaemon.Engine.Pressure.PressureState(), crashMarker, TimeProvider.System, NullLogger<GenerationEngine>.Instance);

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
            await model.DisposeAsync();
            await daemon.StopAsync(CancellationToken.None);
        }
        return new OverheadResult(inProcess, viaDaemon);
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
