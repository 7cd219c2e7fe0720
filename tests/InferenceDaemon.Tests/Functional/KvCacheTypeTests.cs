using Engram.TestSupport;
using static Engram.TestSupport.GenerationRecording;

namespace Engram.InferenceDaemon.Tests.Functional;

/// <summary>The KV cache's type per profile, on real llama.cpp: a quantized cache loads, answers, and is planned smaller.</summary>
public sealed class KvCacheTypeTests
{
    private static string[] Profile(params string[] settings) =>
        ["--model", RepositoryLayout.BuiltInModel, "--Engram:profiles:default:temperature=0", .. settings.Select(s => "--Engram:profiles:default:" + s)];

    [Fact]
    public async Task AQuantizedKvCache_LoadsAndAnswers_AndIsPlannedSmallerThanF16()
    {
        await using var f16 = await DaemonProcess.StartAsync(Profile("max_context_len=4096"));
        await using var q4 = await DaemonProcess.StartAsync(Profile("max_context_len=4096", "kv_cache_type=q4_0"));
        await f16.Client.WaitForDefaultModelAsync(TestTimeouts.Default);
        await q4.Client.WaitForDefaultModelAsync(TestTimeouts.Default);

        var answer = await RecordAsync(q4.Client, Prompt("What is 2+2?", 8)).WithTimeout();
        var planned = (await f16.Client.GetHealthAsync()).Models.Single();
        var quantized = (await q4.Client.GetHealthAsync()).Models.Single();

        Assert.Equal("4", answer.Text);
        Assert.Equal("q4_0, flash attention auto", quantized.KvCache);
        // The built-in model holds 4 layers x 4 heads x 32 = 512 elements of K and of V per token.
        Assert.Equal(512L * 4 * 4096 - (long)Math.Ceiling(512 * 2 * 18.0 / 32) * 4096, planned.EstimatedBytes - quantized.EstimatedBytes);
    }

    [Fact]
    public async Task Check_ShowsTheEstimateInTheProfilesCacheType()
    {
        var (f16Exit, f16) = await DaemonProcess.RunToExitAsync(["check", .. Profile("max_context_len=4096")]);
        var (q8Exit, q8) = await DaemonProcess.RunToExitAsync(["check", .. Profile("max_context_len=4096", "kv_cache_type=q8_0")]);

        Assert.True(f16Exit == 0, f16);
        Assert.True(q8Exit == 0, q8);
        Assert.Contains("KV cache f16", f16);
        Assert.Contains("KV cache q8_0", q8);
    }

    [Fact]
    public async Task AQuantizedValueCacheWithoutFlashAttention_IsRefusedAtStart()
    {
        var (exitCode, output) = await DaemonProcess.RunToExitAsync(Profile("kv_cache_type=q8_0", "flash_attention=off"));

        Assert.Equal(78, exitCode);
        Assert.Contains("a q8_0 V cache needs flash attention", output);
    }
}
