using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.TestSupport;
using Grpc.Core;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>Bad requests get a precise status and message, and never hurt the daemon.</summary>
public sealed class BadInputTests(ScriptedDaemonFixture fixture) : IClassFixture<ScriptedDaemonFixture>
{
    private EngramDaemonClient Client => fixture.Daemon.Client;

    public static TheoryData<string, Func<GenerateRequest>, StatusCode, string> Cases => new()
    {
        { "empty prompt, no messages", () => Prompt(""), StatusCode.InvalidArgument, "prompt is empty and no messages" },
        { "negative max_new_tokens", () => Prompt("Hi.", -1), StatusCode.InvalidArgument, "max_new_tokens must be at least 1" },
        { "max_new_tokens above the profile maximum", () => Prompt("Hi.", 9000), StatusCode.InvalidArgument, "max_new_tokens 9000 is above the maximum of 8000" },
        { "temperature above 2", () => WithSampling(r => r.Temperature = 3f), StatusCode.InvalidArgument, "temperature must be from 0 to 2" },
        { "negative temperature", () => WithSampling(r => r.Temperature = -0.5f), StatusCode.InvalidArgument, "temperature must be from 0 to 2" },
        { "top_p of 0", () => WithSampling(r => r.TopP = 0f), StatusCode.InvalidArgument, "top_p must be above 0 and at most 1" },
        { "top_p above 1", () => WithSampling(r => r.TopP = 1.5f), StatusCode.InvalidArgument, "top_p must be above 0 and at most 1" },
        { "negative top_k", () => WithSampling(r => r.TopK = -1), StatusCode.InvalidArgument, "top_k must be from 0" },
        { "empty stop string", () => WithSampling(r => r.Stop.Add("")), StatusCode.InvalidArgument, "stop[0] must be 1 to 256 characters" },
        { "unknown role", () => WithMessage("wizard", "Hi."), StatusCode.InvalidArgument, "messages[0].role 'wizard'" },
        { "unknown model", () => Prompt("Hi.", model: "nope"), StatusCode.NotFound, "unknown model 'nope'" },
        { "prompt longer than the context", () => Prompt(string.Join(' ', Enumerable.Repeat("word", 100)), model: "small"), StatusCode.InvalidArgument, "holds 64 (max_context_len)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_IsRefusedWithAPreciseStatus(string what, Func<GenerateRequest> request, StatusCode status, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => RecordAsync(Client, request())).WithTimeout();

        Assert.True(status == error.StatusCode, $"{what}: expected {status}, got {error.StatusCode} ({error.Status.Detail})");
        Assert.Contains(message, error.Status.Detail);
        var after = await RecordAsync(Client, Prompt("Tell me something.", 3)).WithTimeout();
        Assert.Equal(3, after.Finished.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task PromptLongerThanTheContext_SaysHowManyTokensAgainstWhatLimit()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            RecordAsync(Client, Prompt(string.Join(' ', Enumerable.Repeat("word", 100)), model: "small")));

        Assert.Matches(@"prompt is \d+ tokens but the context of model 'small' holds 64", error.Status.Detail);
    }

    private static GenerateRequest WithSampling(Action<GenerateRequest> change)
    {
        var request = Prompt("Hi.", 3);
        change(request);
        return request;
    }

    private static GenerateRequest WithMessage(string role, string content)
    {
        var request = new GenerateRequest { MaxNewTokens = 3 };
        request.Messages.Add(new ChatMessage { Role = role, Content = content });
        return request;
    }
}
