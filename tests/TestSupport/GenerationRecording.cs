using Engram.Contract.V1;
using Engram.DaemonClient;

namespace Engram.TestSupport;

/// <summary>Everything one Generate stream delivered, in order.</summary>
public sealed class GenerationRecording
{
    public List<GenerationUpdate> Updates { get; } = [];

    public Accepted Accepted => Updates.OfType<GenerationAccepted>().Single().Details;

    public Finished Finished => Updates.OfType<GenerationCompleted>().Single().Details;

    public IReadOnlyList<GenerationText> Deltas => Updates.OfType<GenerationText>().ToArray();

    public string Text => string.Concat(Deltas.Select(d => d.Text));

    public static async Task<GenerationRecording> RecordAsync(EngramDaemonClient client, GenerateRequest request,
        CancellationToken cancellationToken = default, DateTime? deadline = null)
    {
        var recording = new GenerationRecording();
        await foreach (var update in client.GenerateAsync(request, cancellationToken, deadline))
        {
            recording.Updates.Add(update);
        }
        return recording;
    }

    public static GenerateRequest Prompt(string prompt, int maxNewTokens = 0, string model = "")
        => new() { Prompt = prompt, MaxNewTokens = maxNewTokens, Model = model };
}
