using System.Runtime.InteropServices;

namespace Engram.Inference.Backends.Llama;

/// <summary>
/// Which of the llama.cpp builds shipped by LLamaSharp's backend package this CPU runs best:
/// <c>runtimes/linux-x64/native/{avx512,avx2,avx,noavx}</c> by the features the kernel reports, or linux-arm64's single
/// build. Chosen here, not by LLamaSharp, whose search relies on its assembly's file path and on the JIT's answer to
/// "is AVX-512 supported": a native AOT binary has neither and got the slowest build, noavx.
/// </summary>
public static class LlamaNativeBuild
{
    /// <summary>What each x86 build was compiled with (ggml's GGML_AVX512, GGML_AVX2 and GGML_AVX options), best first.</summary>
    private static readonly (string Variant, string[] Needs)[] X64Builds =
    [
        ("avx512", ["avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw", "avx2", "fma", "f16c"]),
        ("avx2", ["avx2", "fma", "f16c"]),
        ("avx", ["avx"]),
        ("noavx", []),
    ];

    /// <summary>The directory holding the build for this machine, or null when the program's directory has none for it.</summary>
    public static string? Find(string programDirectory, Architecture architecture, IReadOnlySet<string> cpuFlags)
    {
        var native = architecture switch
        {
            Architecture.X64 => Path.Combine(programDirectory, "runtimes", "linux-x64", "native", X64Variant(cpuFlags)),
            Architecture.Arm64 => Path.Combine(programDirectory, "runtimes", "linux-arm64", "native"),
            _ => null,
        };
        return native is not null && File.Exists(Path.Combine(native, "libllama.so")) ? native : null;
    }

    /// <summary>The best x86-64 build all of whose instructions the CPU has.</summary>
    public static string X64Variant(IReadOnlySet<string> cpuFlags) =>
        X64Builds.First(build => build.Needs.All(cpuFlags.Contains)).Variant;

    /// <summary>The CPU's feature flags as /proc/cpuinfo lists them (x86 "flags", arm "Features"): the kernel leaves out
    /// what it does not let programs use.</summary>
    public static IReadOnlySet<string> CpuFlags(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() is "flags" or "Features")
            {
                return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            }
        }
        return new HashSet<string>();
    }

    /// <summary>This machine's flags, or none when /proc/cpuinfo cannot be read (then the plainest build is chosen).</summary>
    public static IReadOnlySet<string> ThisMachine()
    {
        try
        {
            return CpuFlags(File.ReadAllText("/proc/cpuinfo"));
        }
        catch (IOException)
        {
            return new HashSet<string>();
        }
        catch (UnauthorizedAccessException)
        {
            return new HashSet<string>();
        }
    }
}
