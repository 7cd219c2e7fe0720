using Engram.Contract.V1;
using Engram.Inference.Engine;
using Grpc.Core;
using Engine = Engram.Inference.Engine;
using V1 = Engram.Contract.V1;

namespace Engram.InferenceDaemon.Api;

/// <summary>Translates between the engram.v1 wire types and the engine's types. No decisions are made here.</summary>
internal static class ProtoMapping
{
    public static GenerationRequest ToRequest(GenerateRequest request, ServerCallContext context) => new()
    {
        RequestId = request.RequestId is { Length: > 0 } id ? id : Guid.NewGuid().ToString("N")[..12],
        Model = request.Model,
        Input = new PromptInput(request.Prompt, request.Messages.Select(m => new ChatTurn(m.Role, m.Content)).ToArray(), request.Raw),
        MaxNewTokens = request.MaxNewTokens,
        Temperature = request.HasTemperature ? request.Temperature : null,
        TopK = request.HasTopK ? request.TopK : null,
        TopP = request.HasTopP ? request.TopP : null,
        Seed = request.HasSeed ? request.Seed : null,
        Stop = request.Stop.ToArray(),
        Deadline = context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline, TimeSpan.Zero),
        Peer = context.Peer,
    };

    public static GenerateResponse ToResponse(GenerationEvent item) => item switch
    {
        RequestAccepted a => new GenerateResponse
        {
            Accepted = new Accepted
            {
                RequestId = a.RequestId,
                Model = a.Model,
                RequestedModel = a.RequestedModel,
                Backend = a.Backend,
                QueuePosition = a.QueuePosition,
                MaxNewTokens = a.MaxNewTokens,
                PromptTokens = a.PromptTokens,
                Fallback = a.FallbackReason is not null,
                ChatTemplateApplied = a.ChatTemplateApplied,
                FallbackReason = a.FallbackReason ?? "",
            },
        },
        QueuePositionChanged q => new GenerateResponse
        {
            Queue = new QueueUpdate { QueuePosition = q.QueuePosition, WaitedMs = q.Waited.TotalMilliseconds },
        },
        TextDelta t => new GenerateResponse { Token = new TokenDelta { Text = t.Text, TokensSoFar = t.TokensSoFar } },
        GenerationFinished f => new GenerateResponse
        {
            Finished = new Finished
            {
                Reason = ToProto(f.Reason),
                StopSequence = f.StopSequence ?? "",
                Error = f.Error ?? "",
                Timings = ToProto(f.Timings),
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown generation event"),
    };

    private static V1.FinishReason ToProto(Engine.FinishReason reason) => reason switch
    {
        Engine.FinishReason.Stop => V1.FinishReason.Stop,
        Engine.FinishReason.Length => V1.FinishReason.Length,
        Engine.FinishReason.Cancelled => V1.FinishReason.Cancelled,
        Engine.FinishReason.Deadline => V1.FinishReason.Deadline,
        _ => V1.FinishReason.Error,
    };

    private static Timings ToProto(GenerationTimings t) => new()
    {
        QueueMs = t.Queue.TotalMilliseconds,
        PromptTokens = t.PromptTokens,
        PrefillMs = t.Prefill.TotalMilliseconds,
        PrefillTokensPerSecond = t.PrefillTokensPerSecond,
        GeneratedTokens = t.GeneratedTokens,
        DecodeMs = t.Decode.TotalMilliseconds,
        DecodeTokensPerSecond = t.DecodeTokensPerSecond,
        TimeToFirstTokenMs = t.TimeToFirstToken.TotalMilliseconds,
        TotalMs = t.Total.TotalMilliseconds,
        CachedPromptTokens = t.CachedPromptTokens,
    };
}
