using Engram.Inference.Engine;

namespace Engram.Inference.Backends.Rkllm;

/// <summary>
/// The conversation the runtime's KV cache holds when runs keep their history (keep_history=1): its turns, the
/// reply included, and their tokens as the runtime counted them. A request continues it when it repeats every
/// turn as it was and adds one user turn; only that turn is then sent (and prefilled).
/// </summary>
internal sealed class RkllmHistory
{
    private IReadOnlyList<ChatTurn> _turns = [];

    /// <summary>Tokens in the runtime's history (its own perf counts).</summary>
    public int Tokens { get; private set; }

    /// <summary>The one new user turn if <paramref name="turns"/> continues the held conversation, else null.</summary>
    public ChatTurn? NextTurnOf(IReadOnlyList<ChatTurn> turns)
    {
        if (_turns.Count == 0 || turns.Count != _turns.Count + 1 || !turns[^1].Role.Equals("user", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        for (var i = 0; i < _turns.Count; i++)
        {
            if (!_turns[i].Role.Equals(turns[i].Role, StringComparison.OrdinalIgnoreCase) || Normalised(_turns[i].Content) != Normalised(turns[i].Content))
            {
                return null;
            }
        }
        return turns[^1];
    }

    /// <summary>After a clean run: the runtime now holds <paramref name="turns"/> and its reply (on top of what it held when <paramref name="continued"/>).</summary>
    public void Ran(IReadOnlyList<ChatTurn> turns, string reply, int tokens, bool continued)
    {
        _turns = [.. turns, new ChatTurn("assistant", reply)];
        Tokens = (continued ? Tokens : 0) + tokens;
    }

    /// <summary>The runtime's history is unknown or gone (an aborted or failed run, a cleared cache).</summary>
    public void Forget()
    {
        _turns = [];
        Tokens = 0;
    }

    // A client may trim or re-wrap the reply it shows; the words are what must match.
    private static string Normalised(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
