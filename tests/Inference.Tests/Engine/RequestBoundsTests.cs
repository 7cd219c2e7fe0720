using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine;

public sealed class RequestBoundsTests
{
    private static readonly ModelProfile Profile = TestProfiles.Create();

    private static GenerationRequest Request(int maxNewTokens = 0, float? temperature = null) => new()
    {
        RequestId = "r",
        Input = new PromptInput("hi", []),
        MaxNewTokens = maxNewTokens,
        Temperature = temperature,
    };

    [Fact]
    public void Resolve_Unset_TakesTheProfileDefaults()
    {
        var bounds = RequestBounds.Resolve(Request(), Profile);

        Assert.Equal(64, bounds.MaxNewTokens);
        Assert.Equal(Profile.DefaultSampling, bounds.Sampling);
    }

    [Fact]
    public void Resolve_AtTheMaximum_IsAllowedAndOneAboveIsNot()
    {
        Assert.Equal(128, RequestBounds.Resolve(Request(128), Profile).MaxNewTokens);
        var error = Assert.Throws<GenerationRejectedException>(() => RequestBounds.Resolve(Request(129), Profile));
        Assert.Equal(RejectionKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Resolve_GreedyTemperature_IsAllowed()
    {
        Assert.True(RequestBounds.Resolve(Request(temperature: 0f), Profile).Sampling.IsGreedy);
    }

    [Fact]
    public void Resolve_NotANumberTemperature_IsRefused()
    {
        Assert.Throws<GenerationRejectedException>(() => RequestBounds.Resolve(Request(temperature: float.NaN), Profile));
    }
}
