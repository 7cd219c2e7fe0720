namespace Engram.InferenceDaemon.Commands;

/// <summary>
/// <c>--Engram:KEY=VALUE</c> and <c>--Logging:KEY=VALUE</c> (or <c>--Engram:KEY VALUE</c>): any configuration key
/// on the command line. They are taken out before System.CommandLine parses the rest, so a value can never be
/// mistaken for an argument, and handed to the host's command-line configuration as they are.
/// </summary>
internal static class ConfigurationOverrides
{
    private static readonly string[] Prefixes = ["--Engram:", "--Logging:"];

    /// <summary>The arguments without the overrides, the overrides, and an error when an override lacks its value.</summary>
    public static (string[] Remaining, string[] Overrides, string? Error) Extract(IReadOnlyList<string> args)
    {
        var remaining = new List<string>();
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!Prefixes.Any(p => arg.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                remaining.Add(arg);
                continue;
            }
            overrides.Add(arg);
            if (!arg.Contains('='))
            {
                if (i + 1 >= args.Count)
                {
                    return ([], [], $"option '{arg}' needs a value");
                }
                overrides.Add(args[++i]);
            }
        }
        return (remaining.ToArray(), overrides.ToArray(), null);
    }
}
