using System.Text;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;

namespace Engram.DiscordFrontend.Tests.EndToEnd;

/// <summary>One real engram-daemon with its built-in tiny model (real llama.cpp), shared by a test class.</summary>
public sealed class TinyModelDaemon : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync([]);
        await Daemon.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();

    /// <summary>What the daemon itself answers to this conversation, greedy, as the bot asks it.</summary>
    public async Task<string> AnswerAsync(params (string Role, string Content)[] turns)
    {
        var request = new GenerateRequest { Temperature = 0 };
        request.Messages.AddRange(turns.Select(t => new ChatMessage { Role = t.Role, Content = t.Content }));
        var text = new StringBuilder();
        await foreach (var update in Daemon.Client.GenerateAsync(request))
        {
            if (update is GenerationText t)
            {
                text.Append(t.Text);
            }
        }
        return text.ToString();
    }
}
