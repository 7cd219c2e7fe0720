namespace Engram.Bench.Targets;

/// <summary>
/// A <c>--target NAME=ADDRESS</c>: <c>npu=http://rock5b:50051</c> (an Engram daemon, optionally <c>#profile</c>),
/// <c>cpu=ollama:http://127.0.0.1:11434#qwen2.5:0.5b</c> (an Ollama server and its model), or
/// <c>peer=openai:http://127.0.0.1:8080</c> (any OpenAI-compatible server, llama-server among them, optionally
/// <c>#model</c>; the bearer token, if it needs one, from $OPENAI_API_KEY).
/// </summary>
public sealed record TargetSpec(string Name, string Kind, string Address, string? Model)
{
    public static TargetSpec Parse(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new UserFacingException($"target '{text}' is not NAME=ADDRESS (e.g. npu=http://127.0.0.1:50051 or cpu=ollama:http://127.0.0.1:11434#qwen2.5:0.5b)");
        }
        var name = text[..equals];
        var address = text[(equals + 1)..];
        var kind = "engram";
        if (address.StartsWith("ollama:", StringComparison.Ordinal))
        {
            kind = "ollama";
            address = address["ollama:".Length..];
        }
        else if (address.StartsWith("openai:", StringComparison.Ordinal))
        {
            kind = "openai";
            address = address["openai:".Length..];
        }
        var hash = address.IndexOf('#');
        var model = hash >= 0 ? address[(hash + 1)..] : null;
        address = hash >= 0 ? address[..hash] : address;
        if (kind == "ollama" && string.IsNullOrEmpty(model))
        {
            throw new UserFacingException($"ollama target '{name}' needs a model: {name}=ollama:{address}#MODEL");
        }
        return new TargetSpec(name, kind, address, model);
    }

    public IBenchTarget Create() => Kind switch
    {
        "ollama" => new OllamaTarget(Name, Address, Model!),
        "openai" => new OpenAiTarget(Name, Address, Model, Environment.GetEnvironmentVariable("OPENAI_API_KEY")),
        _ => new EngramTarget(Name, Address, Model),
    };
}
