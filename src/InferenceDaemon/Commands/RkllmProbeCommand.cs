using System.CommandLine;
using Engram.Inference.Backends.Rkllm;

namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>engram-daemon rkllm-probe LIB</c>: internal. The RKLLM backend runs it as a child process to learn a runtime's
/// version without risking the daemon (see <see cref="RkllmVersionProbe"/>).
/// </summary>
internal static class RkllmProbeCommand
{
    private static readonly Argument<string> Library = new("LIB") { Description = "the librkllmrt.so to probe" };
    private static readonly Argument<string> Model = new("MODEL") { Description = "the model path to initialise with" };

    public static Command Create()
    {
        var command = new Command(RkllmVersionProbe.Verb, "internal: print an RKLLM runtime's version line") { Library, Model };
        command.Hidden = true;
        command.SetAction(parse => RkllmVersionProbe.RunInChild(parse.GetValue(Library)!, parse.GetValue(Model)!));
        return command;
    }
}
