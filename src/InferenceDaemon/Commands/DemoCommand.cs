using System.CommandLine;
using Engram.Contract.V1;
using Engram.InferenceDaemon.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>engram-daemon demo</c>: the whole path in one command. It starts the real daemon host on a free
/// loopback port, asks it one question over a real gRPC socket, streams the answer to the console with the
/// final figures, and stops.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultPrompt = "What is 2+2?";

    private static readonly Argument<string[]> Prompt = new("PROMPT")
    {
        Description = $"the question (default: \"{DefaultPrompt}\")",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Command Create(IReadOnlyList<string> overrides)
    {
        var command = new Command("demo", "start the daemon on a free loopback port, stream one answer through gRPC to this console, and stop")
        {
            Prompt,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var words = parse.GetValue(Prompt) ?? [];
            return RunAsync(words.Length > 0 ? string.Join(' ', words) : DefaultPrompt, CommonOptions.ConfigurationArgs(parse, overrides),
                Console.Out, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(string prompt, IReadOnlyList<string> configurationArgs, TextWriter output, CancellationToken cancellationToken)
    {
        // The demo listens on a free loopback port unless told otherwise, so it never collides with a running daemon.
        var args = configurationArgs.Any(a => a.StartsWith("--Engram:listen=", StringComparison.OrdinalIgnoreCase))
            ? configurationArgs
            : ["--Engram:listen=127.0.0.1:0", .. configurationArgs];
        // Quiet, and with a state directory of its own: the demo never touches a running service's records or lock.
        var state = Directory.CreateTempSubdirectory("engram-demo-");
        try
        {
            return await DemoAsync(prompt, args, state.FullName, output, cancellationToken);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static async Task<int> DemoAsync(string prompt, IReadOnlyList<string> args, string stateDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        await using var app = DaemonHost.Build(args, CheckCommand.QuietPrivateState(stateDirectory));
        await app.StartAsync(cancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address);
            var client = new Contract.V1.Inference.InferenceClient(channel);
            await output.WriteLineAsync($"engram-daemon listening on {address}; waiting for the default model...");
            var model = await WaitForDefaultModelAsync(client, TimeSpan.FromMinutes(5), cancellationToken);
            await output.WriteLineAsync($"model '{model.Name}' ready in {model.LoadMs:0} ms: {model.Description}");
            await output.WriteLineAsync($"> {prompt}");

            var request = new GenerateRequest { MaxNewTokens = 32, Temperature = 0 };
            request.Messages.Add(new ChatMessage { Role = "user", Content = prompt });
            using var call = client.Generate(request, cancellationToken: cancellationToken);
            await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                switch (response.EventCase)
                {
                    case GenerateResponse.EventOneofCase.Token:
                        await output.WriteAsync(response.Token.Text);
                        await output.FlushAsync(cancellationToken);
                        break;
                    case GenerateResponse.EventOneofCase.Finished:
                        var done = response.Finished;
                        var t = done.Timings;
                        await output.WriteLineAsync();
                        await output.WriteLineAsync(
                            $"[finish={done.Reason} prompt_tokens={t.PromptTokens} prefill={t.PrefillMs:0.0} ms " +
                            $"({t.PrefillTokensPerSecond:0} tok/s) tokens={t.GeneratedTokens} decode={t.DecodeTokensPerSecond:0.0} tok/s " +
                            $"ttft={t.TimeToFirstTokenMs:0.0} ms total={t.TotalMs:0.0} ms]");
                        break;
                }
            }
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or RpcException)
        {
            await Console.Error.WriteLineAsync($"engram-daemon demo: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<ModelHealth> WaitForDefaultModelAsync(Contract.V1.Inference.InferenceClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            var model = (await client.GetHealthAsync(new GetHealthRequest(), cancellationToken: limit.Token)).Models.First(m => m.IsDefault);
            switch (model.State)
            {
                case ModelState.Ready:
                    return model;
                case ModelState.Failed:
                    throw new InvalidOperationException(
                        $"model '{model.Name}' failed to load ({model.FailureClass}/{model.FailureKind}): {model.Detail}; remedy: {model.Remedy}");
            }
            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the default model was not ready within {timeout}");
            }
        }
    }
}
