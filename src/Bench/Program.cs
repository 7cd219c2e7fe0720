using System.CommandLine;
using Engram.Bench;
using Engram.Bench.Commands;

var root = new RootCommand("engram-bench: measures Engram daemons (and Ollama) side by side")
{
    RunCommand.Create(),
    MakeModelCommand.Create(),
    OverheadCommand.Create(),
    LoadCommand.Create(),
    ChatCommand.Create(),
    EngineCeilingCommand.Create(),
};
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UserFacingException ex)
{
    Console.Error.WriteLine($"engram-bench: {ex.Message}");
    return (int)ExitCode.Usage;
}
