using Engram.Contract.V1;
using Engram.DaemonClient;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Engram.InferenceDaemon.Hosting;

/// <summary>
/// <c>engram-daemon demo</c>: the whole path in one command. It starts the real daemon host on a free
/// loopback port, asks it one question through the gRPC client library over a real socket, streams the
/// answer to the console with the final figures, and stops.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultPrompt = "What is 2+2?";

    public static async Task<int> RunAsync(DaemonCommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        var prompt = commandLine.Operands.Count > 0 ? string.Join(' ', commandLine.Operands) : DefaultPrompt;
        // The demo listens on a free loopback port unless told otherwise, so it never collides with a running daemon.
        var args = commandLine.ConfigurationArgs.Any(a => a.StartsWith("--listen", StringComparison.Ordinal))
            ? commandLine.ConfigurationArgs
            : [.. commandLine.ConfigurationArgs, "--listen", "127.0.0.1:0"];
        await using var app = DaemonHost.Build(args, configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Engram"] = "Warning" }));
        await app.StartAsync(cancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new EngramDaemonClient(new DaemonClientOptions { Address = address });
            await output.WriteLineAsync($"engram-daemon listening on {address}; waiting for the default model...");
            var health = await client.WaitForDefaultModelAsync(TimeSpan.FromMinutes(5), cancellationToken);
            var model = health.Models.First(m => m.IsDefault);
            await output.WriteLineAsync($"model '{model.Name}' ready in {model.LoadMs:0} ms: {model.Description}");
            await output.WriteLineAsync($"> {prompt}");

            var request = new GenerateRequest { MaxNewTokens = 32, Temperature = 0 };
            request.Messages.Add(new ChatMessage { Role = "user", Content = prompt });
            await foreach (var update in client.GenerateAsync(request, cancellationToken))
            {
                switch (update)
                {
                    case GenerationText text:
                        await output.WriteAsync(text.Text);
                        await output.FlushAsync(cancellationToken);
                        break;
                    case GenerationCompleted done:
                        var t = done.Details.Timings;
                        await output.WriteLineAsync();
                        await output.WriteLineAsync(
                            $"[finish={done.Details.Reason} prompt_tokens={t.PromptTokens} prefill={t.PrefillMs:0.0} ms " +
                            $"({t.PrefillTokensPerSecond:0} tok/s) tokens={t.GeneratedTokens} decode={t.DecodeTokensPerSecond:0.0} tok/s " +
                            $"ttft={t.TimeToFirstTokenMs:0.0} ms total={t.TotalMs:0.0} ms]");
                        break;
                }
            }
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or Grpc.Core.RpcException)
        {
            await Console.Error.WriteLineAsync($"engram-daemon demo: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }
}
