using Engram.Inference.Validation.Artifacts;
using Engram.ModelFiles.Gguf;
using Engram.TestSupport;

namespace Engram.Inference.Tests.Validation;

/// <summary>Files llama.cpp's loader would abort on (GGML_ASSERT: the whole process dies) are refused as corrupt first.</summary>
public sealed class LlamaLoadAssertsTests : IDisposable
{
    private readonly ModelArtifacts _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void ATokenTwiceInTheVocabulary_IsCorrupt_NamingTheTokenAndItsIds()
    {
        // "<0x01>" becomes a second "<0x00>": llama.cpp indexes tokens by text and asserts they are all distinct.
        var path = _files.Patched("duplicate-token.gguf", bytes =>
        {
            var at = bytes.AsSpan().IndexOf("<0x01>"u8);
            "<0x00>"u8.CopyTo(bytes.AsSpan(at));
        });

        var report = ArtifactInspector.Inspect(path, "llama", verifyChecksum: false, socFamily: null);

        Assert.Equal("corrupt", report.Failure?.Kind);
        Assert.Matches(@"the token .<0x00>. twice \(ids \d+ and \d+\)", report.Failure!.Detail);
    }

    private static GgufInspection With(params (string Key, object Value)[] metadata)
    {
        var all = new Dictionary<string, object>
        {
            ["general.architecture"] = "llama",
            ["llama.block_count"] = 2u,
            ["tokenizer.ggml.model"] = "llama",
            [GgufReader.VocabularyKey] = new GgufArraySummary(GgufMetadataType.String, 300),
        };
        foreach (var (key, value) in metadata)
        {
            all[key] = value;
        }
        return new GgufInspection { Architecture = "llama", Metadata = all };
    }

    public static TheoryData<string, object, string> FatalHyperparameters => new()
    {
        { "llama.block_count", 0u, "block_count is 0" },
        { "llama.block_count", 513u, "block_count is 513" },
        { "llama.expert_count", 600u, "expert_count is 600" },
        { "llama.expert_used_count", 2u, "expert_used_count (2) is more than llama.expert_count (0)" },
        { "llama.rope.scaling.type", "cubic", "rope.scaling.type 'cubic'" },
        { "llama.expert_group_count", 2u, "expert_group_count is 2 for a model without experts" },
    };

    [Theory]
    [MemberData(nameof(FatalHyperparameters))]
    public void HyperparametersLlamaCppAbortsOn_AreCaught(string key, object value, string detail)
    {
        Assert.Contains(detail, LlamaLoadAsserts.Check(With((key, value))));
    }

    [Fact]
    public void ExpertsThatDoNotAddUp_AreCaught()
    {
        Assert.Contains("inconsistent", LlamaLoadAsserts.Check(With(("llama.expert_count", 8u), ("llama.expert_used_count", 0u))));
        Assert.Contains("inconsistent", LlamaLoadAsserts.Check(With(("llama.expert_count", 8u), ("llama.expert_used_count", 2u),
            ("llama.expert_group_count", 3u), ("llama.expert_group_used_count", 1u))));
        Assert.Null(LlamaLoadAsserts.Check(With(("llama.expert_count", 8u), ("llama.expert_used_count", 2u))));
    }

    [Fact]
    public void AddBosWithoutABosToken_IsCaughtBeforeTheFirstPrompt()
    {
        var tiny = With(("tokenizer.ggml.model", "gpt2"), (GgufReader.VocabularyKey, new GgufArraySummary(GgufMetadataType.String, 8)),
            ("tokenizer.ggml.add_bos_token", true), ("tokenizer.ggml.bos_token_id", 50u));

        Assert.Contains("no begin-of-sequence token", LlamaLoadAsserts.Check(tiny));
        Assert.Null(LlamaLoadAsserts.Check(With(("tokenizer.ggml.add_bos_token", true)))); // SPM: BOS defaults to 1
    }

    [Fact]
    public void AGoodModel_PassesEveryCheck()
    {
        Assert.Null(LlamaLoadAsserts.Check(ModelArtifacts.Inspect(_files.Good())));
    }
}
