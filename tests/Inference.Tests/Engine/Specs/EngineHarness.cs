using Engram.Inference.Engine;
using Engram.Inference.Engine.Pressure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Engram.Inference.Tests.Engine.Specs;

/// <summary>An engine with one ready model (a <see cref="ScriptedModel"/>), on a fake clock, recording in-flight records.</summary>
internal sealed class EngineHarness
{
    public EngineHarness(int queueSize = 2, GenerationLimits? limits = null, TimeSpan? requestTimeout = null, int maxNewTokens = 64)
    {
        var profile = new ModelProfile
        {
            Name = "main",
            ModelPath = "/main.gguf",
            Backend = BackendNames.Llama,
            MaxContextLen = Model.ContextLength,
            DefaultMaxNewTokens = maxNewTokens,
            MaxNewTokens = maxNewTokens,
            Threads = 1,
            QueueSize = queueSize,
            DefaultSampling = new SamplingSettings(0, 0, 1, null),
            RequestTimeout = requestTimeout ?? TimeSpan.FromMinutes(5),
        };
        Registry = new ModelRegistry(new ProfileCatalog([profile], profile.Name), Time);
        Slot.MarkReady(Model, TimeSpan.Zero);
        Engine = new GenerationEngine(Registry, new PressureState(), Inflight, Time, NullLogger<GenerationEngine>.Instance,
            limits ?? GenerationLimits.Default with { PreparationConcurrency = 2 });
    }

    public FakeTimeProvider Time { get; } = new();
    public ScriptedModel Model { get; } = new();
    public RecordingInflight Inflight { get; } = new();
    public ModelRegistry Registry { get; }
    public ModelSlot Slot => Registry.Default;
    public GenerationEngine Engine { get; }

    private int _requests;

    public GenerationRequest Request(string prompt = "hello", int maxNewTokens = 0, IReadOnlyList<string>? stop = null, string? model = null) => new()
    {
        RequestId = $"r{Interlocked.Increment(ref _requests)}",
        Model = model,
        Input = new PromptInput(prompt, []),
        MaxNewTokens = maxNewTokens,
        Stop = stop ?? [],
    };

    /// <summary>Starts a request and reads its events in the background into a <see cref="Reader"/>.</summary>
    public async Task<Reader> StartAsync(GenerationRequest? request = null, CancellationToken cancellationToken = default)
    {
        var stream = await Engine.StartAsync(request ?? Request(), cancellationToken);
        return new Reader(stream);
    }

    /// <summary>Waits (on the real clock) until <paramref name="condition"/> holds; the engine runs on pool threads.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"never happened: {what}");
            }
            await Task.Delay(5);
        }
    }
}

/// <summary>Reads one generation's events as they come, so a test can look at them and at the engine between steps.</summary>
internal sealed class Reader
{
    private readonly List<GenerationEvent> _events = [];

    public Reader(GenerationStream stream)
    {
        Stream = stream;
        Done = Task.Run(async () =>
        {
            await foreach (var item in stream.ReadAllAsync())
            {
                lock (_events)
                {
                    _events.Add(item);
                }
                OnEvent?.Invoke(item);
            }
        });
    }

    public GenerationStream Stream { get; }
    public Task Done { get; }
    public Action<GenerationEvent>? OnEvent { get; set; }

    public IReadOnlyList<GenerationEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public string Text => string.Concat(Events.OfType<TextDelta>().Select(d => d.Text));
    public GenerationFinished? Finished => Events.OfType<GenerationFinished>().SingleOrDefault();
    public RequestAccepted Accepted => Events.OfType<RequestAccepted>().Single();

    public async Task<RequestAccepted> AcceptedAsync()
    {
        await EngineHarness.Eventually(() => Events.Count > 0, "the acceptance arrived");
        return Accepted;
    }

    public async Task<GenerationFinished> FinishedAsync()
    {
        await Done.WaitAsync(TimeSpan.FromSeconds(10));
        return Finished ?? throw new InvalidOperationException("the stream ended without a final message");
    }
}

/// <summary>The in-flight records the engine writes, kept in memory.</summary>
internal sealed class RecordingInflight : IInflightRecorder
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public IDisposable Enter(InflightOperation operation)
    {
        Interlocked.Increment(ref _open);
        return new Record(this);
    }

    private sealed class Record(RecordingInflight owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref owner._open);
            }
        }
    }
}
