using System.Diagnostics;

namespace Engram.Inference.Engine;

/// <summary>
/// How to run the program hosting this engine again, as a child process, whether it runs as an apphost or as
/// <c>dotnet program.dll</c>: native work that might crash (a version probe, a trial load) runs there, never here.
/// </summary>
public static class HostProgram
{
    public static ProcessStartInfo StartInfo(params IEnumerable<string> arguments)
    {
        var process = Environment.ProcessPath!;
        var info = new ProcessStartInfo(process) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            // Under dotnet the first command-line argument is the program's .dll (a native AOT build never gets here).
            info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }
}
