using System.Diagnostics;
using System.Text;
using Engram.Contract.V1;
using Engram.DaemonClient;

namespace Engram.Bench.Chat;

/// <summary>What one turn cost: the whole prompt, what of it the daemon's cache held, and the waits.</summary>
public sealed record TurnResult(int Turn, int PromptTokens, int CachedTokens, double TimeToFirstTokenMs, double PrefillMs,
    double DecodeTokensPerSecond, int GeneratedTokens)
{
    public int PrefilledTokens => PromptTokens - CachedTokens;
}

/// <summary>
/// Replays a <see cref="ChatScript"/> against one daemon, greedy, each turn after the answer to the last. The first
/// replay sizes the messages (from its first turn's count of characters per token); later replays send the same ones.
/// </summary>
public static class ChatReplay
{
    public static async Task<(IReadOnlyList<TurnResult> Turns, IReadOnlyList<string> Messages)> RunAsync(EngramDaemonClient client, ChatScript script,
        IReadOnlyList<string>? messages, CancellationToken cancellationToken)
    {
        var conversation = new List<ChatMessage>();
        var sent = new List<string>();
        var results = new List<TurnResult>();
        double? charactersPerToken = null;
        for (var turn = 0; turn < script.Turns; turn++)
        {
            var message = messages?[turn] ?? ChatScript.Message(turn, charactersPerToken is { } ratio
                ? (int)(ratio * script.UserTokensPerTurn)
                : 240);
            sent.Add(message);
            conversation.Add(new ChatMessage { Role = "user", Content = message });
            var (result, answer) = await TurnAsync(client, conversation, script.MaxNewTokens, turn + 1, cancellationToken);
            results.Add(result);
            conversation.Add(new ChatMessage { Role = "assistant", Content = answer });
            charactersPerToken ??= conversation.Take(1).Sum(m => m.Content.Length) / (double)Math.Max(1, result.PromptTokens);
        }
        return (results, sent);
    }

    private static async Task<(TurnResult, string)> TurnAsync(EngramDaemonClient client, List<ChatMessage> conversation, int maxNewTokens, int turn,
        CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { MaxNewTokens = maxNewTokens, Temperature = 0 };
        request.Messages.AddRange(conversation);
        var clock = Stopwatch.StartNew();
        double? firstText = null;
        var answer = new StringBuilder();
        Finished? finished = null;
        try
        {
            await foreach (var update in client.GenerateAsync(request, cancellationToken))
            {
                switch (update)
                {
                    case GenerationText delta:
                        firstText ??= clock.Elapsed.TotalMilliseconds;
                        answer.Append(delta.Text);
                        break;
                    case GenerationCompleted done:
                        finished = done.Details;
                        break;
                }
            }
        }
        catch (Grpc.Core.RpcException ex)
        {
            throw new UserFacingException($"turn {turn} was refused: {ex.Status.Detail} (a larger --ctx or a smaller --prompt-tokens helps)");
        }
        if (finished is null || finished.Reason == FinishReason.Error)
        {
            throw new UserFacingException($"turn {turn} failed: {finished?.Error ?? "no finished message"}");
        }
        var t = finished.Timings;
        return (new TurnResult(turn, t.PromptTokens, t.CachedPromptTokens, firstText ?? clock.Elapsed.TotalMilliseconds,
            t.PrefillMs, t.DecodeTokensPerSecond, t.GeneratedTokens), answer.ToString());
    }
}
