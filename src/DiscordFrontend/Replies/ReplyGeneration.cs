using Engram.Contract.V1;
using Engram.DaemonClient;
using Engram.DaemonClient.Resilience;
using Engram.DiscordFrontend.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Engram.DiscordFrontend.Replies;

/// <summary>
/// Runs one answer from the daemon into a reply, honest at every step: queue position, model loading,
/// engine restarting, and a clear closing note when it cannot be done. A stream that breaks mid-reply is
/// retried once, openly, in the same message, so the user never gets a duplicate answer.
/// </summary>
public sealed class ReplyGeneration(EngramDaemonClient daemon, ILogger<ReplyGeneration> log)
{
    public async Task StreamAsync(GenerateRequest request, ReplyStreamer reply, CancellationToken cancellationToken)
    {
        var note = await GenerateAsync(request, reply, cancellationToken);
        await reply.CompleteAsync(note);
    }

    private async Task<ReplyStatus?> GenerateAsync(GenerateRequest request, ReplyStreamer reply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await foreach (var update in daemon.GenerateAsync(request, cancellationToken, onRetry: notice => reply.SetStatus(StatusOf(notice))))
                {
                    if (reply.Completion.IsFaulted)
                    {
                        return null; // Discord no longer takes this reply; completing surfaces why
                    }
                    switch (update)
                    {
                        case GenerationAccepted { Details.QueuePosition: > 0 and var position }:
                            reply.SetStatus(ReplyStatus.Queued(position));
                            break;
                        case GenerationQueued queued:
                            reply.SetStatus(queued.Position > 0 ? ReplyStatus.Queued(queued.Position) : ReplyStatus.Thinking);
                            break;
                        case GenerationText text:
                            reply.Append(text.Text);
                            break;
                        case GenerationCompleted completed:
                            return NoteFor(completed.Details);
                    }
                }
                return null;
            }
            catch (StreamInterruptedException ex) when (attempt == 1)
            {
                FrontendLog.StreamInterrupted(log, request.RequestId, ex.TokensDelivered, ex.StatusCode.ToString());
                reply.SetStatus(ReplyStatus.EngineRestartedRetrying);
                reply.ReplaceOnNextText();
            }
            catch (StreamInterruptedException ex)
            {
                FrontendLog.StreamInterrupted(log, request.RequestId, ex.TokensDelivered, ex.StatusCode.ToString());
                return ReplyStatus.Interrupted;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.NotFound
                                              or StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                FrontendLog.DaemonRefused(log, request.RequestId, ex.StatusCode.ToString(), ex.Status.Detail);
                return ReplyStatus.Failed(ex.Status.Detail);
            }
            catch (Exception ex) when (ex is RpcException or BrokenCircuitException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
            {
                FrontendLog.DaemonUnavailable(log, request.RequestId, ex.Message);
                return ReplyStatus.Unavailable(ex switch
                {
                    BrokenCircuitException => "it failed repeatedly, so requests pause briefly",
                    TimeoutRejectedException => "it did not come back in time",
                    RpcException { StatusCode: StatusCode.ResourceExhausted } => "its queue is full",
                    RpcException { StatusCode: StatusCode.DeadlineExceeded } => "it did not answer in time",
                    _ => "it cannot be reached",
                });
            }
        }
    }

    public static ReplyStatus StatusOf(RetryNotice notice) => notice.Reason switch
    {
        RetryReason.ModelLoading => ReplyStatus.ModelLoading,
        RetryReason.QueueFull => ReplyStatus.QueueFull,
        RetryReason.DaemonShuttingDown => ReplyStatus.EngineRestarting,
        RetryReason.AttemptTimedOut => ReplyStatus.EngineSlow,
        _ => ReplyStatus.EngineUnreachable,
    };

    private static ReplyStatus? NoteFor(Finished finished) => finished.Reason switch
    {
        FinishReason.Length => ReplyStatus.CutShort,
        FinishReason.Error => ReplyStatus.Failed(finished.Error),
        FinishReason.Deadline => ReplyStatus.Failed("it took longer than the daemon allows"),
        _ => null,
    };
}
