using Engram.Inference.Backends.Llama;

namespace Engram.Inference.Tests.Backends;

/// <summary>The daemon loads the best llama.cpp build the CPU can run, decided from what the kernel reports.</summary>
public sealed class LlamaNativeBuildTests : IDisposable
{
    private readonly string _program = Directory.CreateTempSubdirectory("engram-program-").FullName;

    public void Dispose() => Directory.Delete(_program, recursive: true);

    private static IReadOnlySet<string> Flags(string flags) => LlamaNativeBuild.CpuFlags($"processor\t: 0\nflags\t\t: {flags}\n");

    [Theory]
    [InlineData("fpu sse2 avx f16c fma avx2 avx512f avx512cd avx512vl avx512dq avx512bw avx512_vnni", "avx512")]
    [InlineData("fpu sse2 avx f16c fma avx2 avx512f avx512cd", "avx2")] // AVX-512 without VL/DQ/BW (Knights Landing)
    [InlineData("fpu sse2 avx f16c fma avx2", "avx2")]
    [InlineData("fpu sse2 avx f16c", "avx")]
    [InlineData("fpu sse2 sse4_2", "noavx")]
    [InlineData("", "noavx")]
    public void AnX64Cpu_GetsTheBestBuildWhoseInstructionsItHas(string flags, string variant) =>
        Assert.Equal(variant, LlamaNativeBuild.X64Variant(Flags(flags)));

    [Fact]
    public void TheFlagsAreReadFromTheFirstProcessorOfProcCpuinfo()
    {
        var cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu avx avx2\nbugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: fpu\n";

        Assert.Equal(["avx", "avx2", "fpu"], LlamaNativeBuild.CpuFlags(cpuinfo).Order());
        Assert.Contains("asimd", LlamaNativeBuild.CpuFlags("processor\t: 0\nFeatures\t: fp asimd evtstrm aes\n")); // arm64
    }

    [Fact]
    public void TheChosenBuildIsTheProgramsOwnCopy_AndNoneWhenItIsNotThere()
    {
        var avx2 = Path.Combine(_program, "runtimes", "linux-x64", "native", "avx2");
        var arm = Path.Combine(_program, "runtimes", "linux-arm64", "native");
        Directory.CreateDirectory(avx2);
        Directory.CreateDirectory(arm);
        File.WriteAllText(Path.Combine(avx2, "libllama.so"), "");
        File.WriteAllText(Path.Combine(arm, "libllama.so"), "");

        Assert.Equal(avx2, LlamaNativeBuild.Find(_program, System.Runtime.InteropServices.Architecture.X64, Flags("avx f16c fma avx2")));
        Assert.Equal(arm, LlamaNativeBuild.Find(_program, System.Runtime.InteropServices.Architecture.Arm64, Flags("fp asimd")));
        Assert.Null(LlamaNativeBuild.Find(_program, System.Runtime.InteropServices.Architecture.X64, Flags("avx f16c"))); // its avx build is not shipped here
    }
}
