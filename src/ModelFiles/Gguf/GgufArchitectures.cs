namespace Engram.ModelFiles.Gguf;

/// <summary>
/// Text-generation architectures the llama.cpp build that LLamaSharp 0.30.0 ships (815a2a59) loads; a file
/// naming anything else would fail inside native code, so it is refused before.
/// </summary>
public static class GgufArchitectures
{
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "llama", "llama4", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
        "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "phi2", "phi3", "phimoe",
        "plamo", "plamo2", "codeshell", "orion", "internlm2", "minicpm", "minicpm3", "gemma", "gemma2", "gemma3", "gemma3n",
        "starcoder2", "mamba", "mamba2", "xverse", "command-r", "cohere2", "dbrx", "olmo", "olmo2", "olmoe", "openelm",
        "arctic", "deepseek", "deepseek2", "chatglm", "glm4", "glm4moe", "bitnet", "t5", "t5encoder", "jais", "nemotron",
        "nemotron_h", "exaone", "exaone4", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "granitehybrid",
        "chameleon", "plm", "bailingmoe", "dots1", "arcee", "ernie4_5", "ernie4_5-moe", "hunyuan-moe", "hunyuan-dense",
        "smollm3", "gpt-oss", "lfm2", "falcon-h1", "seed_oss", "apertus", "mistral3", "smallthinker", "jamba", "minimax-m2",
    };
}
