using System.Diagnostics;
using System.Text.Json;

namespace Engram.TestSupport;

/// <summary>
/// The non-.NET clients in tests/interop/node (grpc-js through reflection, as grpcurl works; the npm openai
/// package). .ci/run installs their packages; a plain <c>dotnet test</c> on a fresh clone installs them here.
/// </summary>
public static class NodeClients
{
    public static string Directory { get; } = Path.Combine(RepositoryLayout.Root, "tests", "interop", "node");

    private static readonly Lazy<Task> Installed = new(InstallAsync);

    private static async Task InstallAsync()
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@grpc", "grpc-js"))
            && System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openai")))
        {
            return;
        }
        var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {Directory} failed: {output}");
        }
    }

    /// <summary>Runs <c>node SCRIPT ARGS</c> and returns the one JSON object it prints.</summary>
    public static async Task<JsonElement> RunAsync(string script, params string[] arguments)
    {
        await Installed.Value;
        var (exitCode, output) = await RunAsync("node", [script, .. arguments], TestTimeouts.Default);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed ({exitCode}): {output}");
        }
        return JsonDocument.Parse(output.Split('\n').First(line => line.StartsWith('{'))).RootElement;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout(timeout);
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }
}
