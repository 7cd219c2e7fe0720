using Engram.TestSupport;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>
/// One daemon process with scripted models under several profiles, shared by the tests of a class:
/// <list type="bullet">
/// <item><c>story</c> (default): loops " Hello w1 the w2 is a w3" forever; big enough to take seconds for thousands of tokens; queue_size 1.</item>
/// <item><c>utf8</c>: emits "€é" as five byte tokens, then ends its turn.</item>
/// <item><c>small</c>: the story model with an 64-token context.</item>
/// <item><c>timeout</c>: the story model with request_timeout_seconds 1.</item>
/// <item><c>missing</c>: a model file that does not exist.</item>
/// </list>
/// </summary>
public sealed class ScriptedDaemonFixture : IAsyncLifetime
{
    public const string StoryText = " Hello w1 the w2 is a w3";
    public static readonly string[] StoryPieces = ["\u2581Hello", "\u2581w1", "\u2581the", "\u2581w2", "\u2581is", "\u2581a", "\u2581w3"];
    public const string Utf8Text = "€é";

    private readonly string _directory = Directory.CreateTempSubdirectory("engram-scripted-").FullName;

    public DaemonProcess Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var story = ScriptedModel.Write(Path.Combine(_directory, "story.gguf"), ScriptedModel.Pieces(StoryPieces), loop: true,
            embedding: 512, layers: 8, feedForward: 2048, context: 8192);
        var utf8 = ScriptedModel.Write(Path.Combine(_directory, "utf8.gguf"), ScriptedModel.ByteTokens(Utf8Text), loop: false);
        Daemon = await DaemonProcess.StartAsync(
        [
            "--default-model", "story",
            "--Engram:profiles:story:model=" + story,
            "--Engram:profiles:story:max_context_len=8192",
            "--Engram:profiles:story:max_new_tokens=8000",
            "--Engram:profiles:story:queue_size=1",
            "--Engram:profiles:story:temperature=0",
            "--Engram:profiles:utf8:model=" + utf8,
            "--Engram:profiles:utf8:temperature=0",
            "--Engram:profiles:small:model=" + story,
            "--Engram:profiles:small:max_context_len=64",
            "--Engram:profiles:small:temperature=0",
            "--Engram:profiles:timeout:model=" + story,
            "--Engram:profiles:timeout:max_context_len=8192",
            "--Engram:profiles:timeout:max_new_tokens=8000",
            "--Engram:profiles:timeout:request_timeout_seconds=1",
            "--Engram:profiles:missing:model=" + Path.Combine(_directory, "not-there.gguf"),
        ]);
        await TestTimeouts.Eventually(async () =>
        {
            var health = await Daemon.Client.GetHealthAsync();
            return health.Models.All(m => m.State is Contract.V1.ModelState.Ready or Contract.V1.ModelState.Failed);
        }, "every profile finished loading");
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
