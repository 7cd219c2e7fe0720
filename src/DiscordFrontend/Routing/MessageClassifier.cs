using System.Text;
using Engram.Contract.V1;
using Engram.DaemonClient;
using Microsoft.Extensions.Logging;

namespace Engram.DiscordFrontend.Routing;

/// <summary>
/// A short, bounded classification request to the daemon: a few greedy tokens, a deadline, strict parsing
/// (the answer must be exactly one of the labels), and the safe default for anything else, failures included.
/// </summary>
public sealed class MessageClassifier(EngramDaemonClient daemon, ClassifierOptions options, ILogger<MessageClassifier> log)
{
    public async Task<string> ClassifyAsync(string text, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest
        {
            Messages = { new ChatMessage { Role = "user", Content = options.Prompt.Replace("{message}", text, StringComparison.Ordinal) } },
            MaxNewTokens = options.MaxNewTokens,
            Temperature = 0,
            Model = options.Model,
            Stop = { "\n" },
        };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.TimeoutMs);
        var answer = new StringBuilder();
        try
        {
            await foreach (var update in daemon.GenerateAsync(request, limit.Token))
            {
                if (update is GenerationText t)
                {
                    answer.Append(t.Text);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FrontendLog.ClassificationFailed(log, ex.GetType().Name, ex.Message, options.DefaultLabel);
            return options.DefaultLabel;
        }
        return Parse(answer.ToString(), options.Labels, options.DefaultLabel);
    }

    /// <summary>Exactly one of the labels (case and surrounding space aside), else the default.</summary>
    public static string Parse(string answer, IReadOnlyCollection<string> labels, string defaultLabel)
    {
        var word = answer.Trim().TrimEnd('.', '!').ToLowerInvariant();
        return labels.FirstOrDefault(label => string.Equals(label, word, StringComparison.OrdinalIgnoreCase)) ?? defaultLabel;
    }
}
