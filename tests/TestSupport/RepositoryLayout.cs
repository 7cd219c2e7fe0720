namespace Engram.TestSupport;

/// <summary>Where things are in this repository, found from the running test assembly.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the tests were built in, so the daemon of the same build runs.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string DaemonAssembly => Path.Combine(Root, "src", "InferenceDaemon", "bin", Configuration, "net10.0", "engram-daemon.dll");

    /// <summary>The built-in chat model this build of the daemon ships next to itself (trained, so its greedy answers are words).</summary>
    public static string BuiltInModel => Path.Combine(Path.GetDirectoryName(DaemonAssembly)!, "models", "engram-tiny-chat.gguf");

    public static string DiscordAssembly => Path.Combine(Root, "src", "DiscordFrontend", "bin", Configuration, "net10.0", "engram-discord.dll");

    public static string Proto => Path.Combine(Root, "proto", "engram", "v1", "engram.proto");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engram.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Engram.sln not found above {AppContext.BaseDirectory}");
    }
}
