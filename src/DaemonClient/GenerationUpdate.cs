using Engram.Contract.V1;

namespace Engram.DaemonClient;

/// <summary>One event of a generation stream, typed: accepted, queued, text, finished.</summary>
public abstract record GenerationUpdate
{
    public static GenerationUpdate From(GenerateResponse response) => response.EventCase switch
    {
        GenerateResponse.EventOneofCase.Accepted => new GenerationAccepted(response.Accepted),
        GenerateResponse.EventOneofCase.Queue => new GenerationQueued(response.Queue.QueuePosition, TimeSpan.FromMilliseconds(response.Queue.WaitedMs)),
        GenerateResponse.EventOneofCase.Token => new GenerationText(response.Token.Text, response.Token.TokensSoFar),
        GenerateResponse.EventOneofCase.Finished => new GenerationCompleted(response.Finished),
        _ => throw new InvalidOperationException($"the daemon sent an empty or unknown event ({response.EventCase})"),
    };
}

public sealed record GenerationAccepted(Accepted Details) : GenerationUpdate;

public sealed record GenerationQueued(int Position, TimeSpan Waited) : GenerationUpdate;

public sealed record GenerationText(string Text, int TokensSoFar) : GenerationUpdate;

public sealed record GenerationCompleted(Finished Details) : GenerationUpdate;
