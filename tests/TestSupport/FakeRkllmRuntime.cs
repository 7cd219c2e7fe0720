using System.Diagnostics;
using System.Security.Cryptography;

namespace Engram.TestSupport;

/// <summary>
/// The fake librkllmrt.so (tests/native/fake-rkllm), built with gcc once per test run and source version,
/// one library per supported ABI: 1.2.3 and 1.3.0.
/// </summary>
public static class FakeRkllmRuntime
{
    public static readonly string[] Versions = ["1.2.3", "1.3.0"];

    private static readonly string SourceDirectory = Path.Combine(RepositoryLayout.Root, "tests", "native", "fake-rkllm");
    private static readonly Lazy<string> Built = new(Build);

    /// <summary>The path of the fake runtime of <paramref name="version"/> (1.2.3 or 1.3.0).</summary>
    public static string LibraryFor(string version) => Path.Combine(Built.Value, version, "librkllmrt.so");

    private static string Build()
    {
        var sources = Directory.GetFiles(SourceDirectory).Order().Select(File.ReadAllBytes).SelectMany(b => b).ToArray();
        var output = Path.Combine(Path.GetTempPath(), "engram-fake-rkllm-" + Convert.ToHexString(SHA256.HashData(sources))[..12]);
        if (Versions.All(v => File.Exists(Path.Combine(output, v, "librkllmrt.so"))))
        {
            return output;
        }
        var staging = output + "." + Environment.ProcessId;
        var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(SourceDirectory, "build.sh"), staging])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var errors = build.StandardError.ReadToEnd() + build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the fake RKLLM runtime failed (is gcc installed?):\n{errors}");
        }
        try
        {
            Directory.Move(staging, output);
        }
        catch (IOException) when (Directory.Exists(output))
        {
            Directory.Delete(staging, recursive: true); // another test process built it first
        }
        return output;
    }

    /// <summary>
    /// Writes an .rkllm file the fake runtime accepts: its header line and facts, padded (sparsely) to a
    /// plausible size. <paramref name="validHeader"/> false writes a file the runtime rejects as invalid;
    /// <paramref name="crashAtInit"/> one that crashes the loader (SIGSEGV inside rkllm_init).
    /// </summary>
    public static string WriteModel(string path, string target = "RK3588", string dtype = "W8A8", int maxContextLimit = 4096,
        int npuCores = 3, bool validHeader = true, bool crashAtInit = false)
    {
        using (var stream = File.Create(path))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(validHeader ? "FAKE-RKLLM v1\n" : "NOT-RKLLM\n");
            writer.Write($"target_platform={target}\nmodel_dtype={dtype}\nmax_context_limit={maxContextLimit}\nnpu_core_num={npuCores}\n");
            writer.Write(crashAtInit ? "crash_at_init=1\n\n" : "\n");
            writer.Flush();
            stream.SetLength(8 << 20);
        }
        return path;
    }
}
