namespace Engram.InferenceDaemon.Commands;

/// <summary>Ctrl+C as a token for the short-lived commands (demo, check); the serving host installs its own handlers.</summary>
internal static class ConsoleCancellation
{
    private static readonly CancellationTokenSource Source = Create();

    public static CancellationToken Token => Source.Token;

    private static CancellationTokenSource Create()
    {
        var source = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            source.Cancel();
        };
        return source;
    }
}
