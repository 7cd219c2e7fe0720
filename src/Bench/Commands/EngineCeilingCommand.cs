using System.CommandLine;
using System.Text.Json;
using Engram.Bench.Overhead;

namespace Engram.Bench.Commands;

/// <summary>
/// <c>engram-bench engine-ceiling</c> (hidden): the child process <see cref="EngineCeilingProcess"/> talks to. It loads
/// the model, reads the prompt's token ids (one JSON line) and then one line per run with the tokens to generate,
/// and answers each with the run's sample as a JSON line. Its own process because llama.cpp's OpenMP runtime keeps
/// a team of threads per calling thread and stops spinning once a process holds more threads than cores: two
/// engines in one process would slow each other.
/// </summary>
internal static class EngineCeilingCommand
{
    public const string Name = "engine-ceiling";

    private static readonly Option<FileInfo> Model = new("--model") { Required = true };
    private static readonly Option<int> Threads = new("--threads") { Required = true };
    private static readonly Option<int> Context = new("--context") { Required = true };

    public static Command Create()
    {
        var command = new Command(Name, "llama.cpp's decode loop driven straight, for engram-bench overhead (reads runs on stdin)")
        {
            Model, Threads, Context,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var prompt = JsonSerializer.Deserialize<int[]>(Console.ReadLine() ?? "[]") ?? [];
            using var ceiling = new EngineCeiling(parse.GetValue(Model)!.FullName, parse.GetValue(Threads), parse.GetValue(Context), prompt);
            Console.WriteLine("ready");
            while (Console.ReadLine() is { } line && int.TryParse(line, out var tokens))
            {
                Console.WriteLine(JsonSerializer.Serialize(ceiling.Run(tokens), EngineCeilingProcess.Wire));
            }
            return (int)ExitCode.Ok;
        });
        return command;
    }
}
