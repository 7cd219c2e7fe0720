namespace Engram.Inference.Engine;

/// <summary>A request's bounds and sampling after the profile's defaults and limits are applied.</summary>
public sealed record RequestBounds(int MaxNewTokens, SamplingSettings Sampling, IReadOnlyList<string> Stop)
{
    public const int MaxStopSequences = 16;
    public const int MaxStopLength = 256;
    public const int MaxTopK = 1_000_000;
    private static readonly string[] KnownRoles = ["system", "user", "assistant", "tool"];

    /// <summary>Checks a request against its profile; throws <see cref="GenerationRejectedException"/> with a precise message.</summary>
    public static RequestBounds Resolve(GenerationRequest request, ModelProfile profile)
    {
        var input = request.Input;
        if (!input.IsChat && input.Prompt.Length == 0)
        {
            throw Invalid("prompt is empty and no messages were given");
        }
        for (var i = 0; i < input.Messages.Count; i++)
        {
            var role = input.Messages[i].Role;
            if (!KnownRoles.Contains(role))
            {
                throw Invalid($"messages[{i}].role {CallerText.Quote(role, 32)} is not one of {string.Join(", ", KnownRoles)}");
            }
        }

        var maxNewTokens = request.MaxNewTokens == 0 ? profile.DefaultMaxNewTokens : request.MaxNewTokens;
        if (request.MaxNewTokens < 0)
        {
            throw Invalid($"max_new_tokens must be at least 1 (0 means the profile's default of {profile.DefaultMaxNewTokens}); got {request.MaxNewTokens}");
        }
        if (maxNewTokens > profile.MaxNewTokens)
        {
            throw Invalid($"max_new_tokens {maxNewTokens} is above the maximum of {profile.MaxNewTokens} for model '{profile.Name}'");
        }

        var defaults = profile.DefaultSampling;
        var temperature = request.Temperature ?? defaults.Temperature;
        if (!(temperature >= 0f && temperature <= 2f))
        {
            throw Invalid($"temperature must be from 0 to 2 (0 is greedy); got {request.Temperature}");
        }
        var topP = request.TopP ?? defaults.TopP;
        if (!(topP > 0f && topP <= 1f))
        {
            throw Invalid($"top_p must be above 0 and at most 1; got {request.TopP}");
        }
        var topK = request.TopK ?? defaults.TopK;
        if (topK is < 0 or > MaxTopK)
        {
            throw Invalid($"top_k must be from 0 (off) to {MaxTopK}; got {request.TopK}");
        }

        if (request.Stop.Count > MaxStopSequences)
        {
            throw Invalid($"at most {MaxStopSequences} stop sequences are allowed; got {request.Stop.Count}");
        }
        for (var i = 0; i < request.Stop.Count; i++)
        {
            if (request.Stop[i].Length is 0 or > MaxStopLength)
            {
                throw Invalid($"stop[{i}] must be 1 to {MaxStopLength} characters long; got {request.Stop[i].Length}");
            }
        }
        return new RequestBounds(maxNewTokens, new SamplingSettings(temperature, topK, topP, request.Seed), request.Stop);
    }

    private static GenerationRejectedException Invalid(string message) => new(RejectionKind.InvalidArgument, message);
}
