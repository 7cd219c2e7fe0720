using System.CommandLine;
using Engram.Bench.Load;

namespace Engram.Bench.Commands;

/// <summary><c>engram-bench load</c>: concurrent streams against one daemon.</summary>
internal static class LoadCommand
{
    private static readonly Option<string> Target = new("--target") { Description = "the daemon's address, e.g. http://127.0.0.1:50051", Required = true };
    private static readonly Option<bool> ClosedLoop = new("--closed-loop")
    {
        Description = "each client sends its next request after its previous one finished (refusals must then be 0 with clients <= queue_size + 1)",
    };
    private static readonly Option<int> Clients = new("--clients") { Description = "closed loop: concurrent clients", DefaultValueFactory = _ => 4 };
    private static readonly Option<double> Rate = new("--rate") { Description = "open loop: requests started per second (0: all at once)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Requests = new("--requests") { Description = "requests in all", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> Tokens = new("--tokens") { Description = "max_new_tokens per request", DefaultValueFactory = _ => 32 };
    private static readonly Option<string> Prompt = new("--prompt") { Description = "the prompt", DefaultValueFactory = _ => "What is 2+2?" };

    public static Command Create()
    {
        var command = new Command("load", "offer load to one daemon (open or closed loop): refusals, queue waits, throughput, stream integrity")
        {
            Target, ClosedLoop, Clients, Rate, Requests, Tokens, Prompt,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (clients, requests, rate) = (parse.GetValue(Clients), parse.GetValue(Requests), parse.GetValue(Rate));
            if (clients < 1 || requests < 1 || rate < 0)
            {
                throw new UserFacingException("--clients and --requests must be at least 1, and --rate at least 0");
            }
            var plan = new LoadPlan(requests, parse.GetValue(Tokens), parse.GetValue(Prompt)!)
            {
                ClosedLoop = parse.GetValue(ClosedLoop),
                Clients = clients,
                RatePerSecond = rate,
            };
            var result = await new LoadTest(parse.GetValue(Target)!, plan).RunAsync(cancellationToken);
            Console.Write(Render(result));
            return (int)(result.Malformed > 0 || result.Failed > 0 ? ExitCode.Failed : ExitCode.Ok);
        });
        return command;
    }

    public static string Render(LoadResult r)
    {
        var w = new StringWriter();
        w.WriteLine($"load: {r.Plan.Requests} requests ({r.Plan.Describe()}) in {r.Elapsed.TotalSeconds:0.0} s");
        w.WriteLine($"completed {r.Completed}, refused: queue full {r.Rejected}, other {r.RefusedOther}; failed {r.Failed}, malformed streams {r.Malformed}");
        w.WriteLine($"queue wait ms: p50 {r.QueueWaitP50:0} p95 {r.QueueWaitP95:0} p99 {r.QueueWaitP99:0} max {r.QueueWaitMs.Max:0}");
        w.WriteLine($"tokens {r.TotalTokens} in all, {r.TokensPerSecond:0.0} tok/s overall");
        foreach (var problem in r.Problems.Distinct().Take(10))
        {
            w.WriteLine($"problem: {problem}");
        }
        return w.ToString();
    }
}
