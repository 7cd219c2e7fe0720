namespace Engram.Bench.Chat;

/// <summary>
/// A growing reply chain, as a Discord conversation sends it: every turn repeats the whole conversation so far
/// (the model's own answers included) and adds one user message. As in a chat, the user writes a few sentences
/// and the model answers at length; the messages are sized from the first turn's token count so that the last
/// turn's prompt comes to about <see cref="TargetPromptTokens"/> with any tokenizer.
/// </summary>
public sealed record ChatScript(int Turns, int MaxNewTokens, int TargetPromptTokens)
{
    /// <summary>What each user message adds to the prompt: the turn's share of the target, less the answer.</summary>
    public int UserTokensPerTurn => Math.Max(24, TargetPromptTokens / Turns - MaxNewTokens);

    public static ChatScript Create(int turns, int maxNewTokens, int targetPromptTokens)
    {
        if (turns < 2 || turns > Messages.Length)
        {
            throw new UserFacingException($"--turns must be between 2 and {Messages.Length}");
        }
        if (maxNewTokens < 1 || targetPromptTokens < 64)
        {
            throw new UserFacingException("--max-new-tokens must be at least 1 and --prompt-tokens at least 64");
        }
        return new ChatScript(turns, maxNewTokens, targetPromptTokens);
    }

    /// <summary>The user's message of <paramref name="turn"/> (0-based), about <paramref name="characters"/> long, cut at a word.</summary>
    public static string Message(int turn, int characters)
    {
        var text = Messages[turn];
        while (text.Length < characters)
        {
            text += " " + Messages[(turn + text.Length) % Messages.Length]; // more of the same workshop's questions
        }
        var cut = text.LastIndexOf(' ', Math.Clamp(characters, 1, text.Length - 1));
        return cut > 0 && characters < text.Length ? text[..cut] : text;
    }

    private static readonly string[] Messages =
    [
        "I run a small workshop that repairs bicycles, and I want to keep track of which parts wear out first. Over the last " +
        "year we replaced chains, brake pads, cables, tyres and a few bottom brackets. How would you organise a simple log " +
        "so that a mechanic can fill it in quickly between jobs without slowing down the repairs?",
        "Good. Most of our customers ride in the city, in all weathers, and many of them never clean their bikes. Which of " +
        "those parts would you expect to wear fastest for them, and what would you tell them at the counter so that they " +
        "come back before something breaks rather than after, when the repair costs more?",
        "We also sell second-hand bikes that we restore. When a bike comes in, the mechanic checks the frame, the wheels, " +
        "the drivetrain and the brakes, and writes a price. Could you suggest a checklist with a rough order of work, so " +
        "that two different mechanics would arrive at a similar price for the same bike?",
        "Some of the restored bikes sit in the shop for months before someone buys them. During that time the tyres lose " +
        "pressure and the chains can rust a little if the door is open in winter. What routine would keep the stock in " +
        "good shape without taking more than an hour a week of someone's time?",
        "Let us come back to the log. If we had a year of entries, what would you look for in it to decide which parts to " +
        "keep in stock and how many? We have limited shelf space and suppliers take up to two weeks to deliver, so running " +
        "out of a common part means turning customers away.",
        "One mechanic suggested offering a yearly service plan: customers pay once and get two inspections and a discount on " +
        "parts. How would you price something like that so that it does not lose money on the customers who ride the most, " +
        "and how would the log help us check it after the first season?",
        "We are also thinking about lending tools so that customers can do small repairs themselves in the evening, with a " +
        "mechanic nearby to help. What could go wrong with that, and which repairs would you allow people to do on their own " +
        "and which would you keep for the staff?",
        "Finally, summarise what we discussed as a short plan for the next three months, in order of what to do first, so " +
        "that I can share it with the team at our Monday meeting and everyone knows who does what.",
    ];
}
