using System.CommandLine;
using System.Diagnostics;
using Engram.ModelFiles.Gguf;
using Engram.ModelFiles.Synthetic;

namespace Engram.Bench.Commands;

/// <summary>
/// <c>engram-bench make-model</c>: realistic-shape GGUF models with random weights, so the CPU path can be
/// measured where nothing can be downloaded (decode speed does not depend on weight values).
/// </summary>
internal static class MakeModelCommand
{
    private static readonly Option<string> Shape = new("--shape")
    {
        Description = $"model shape: {string.Join(", ", ModelShape.Known.Select(s => s.Name))}",
        DefaultValueFactory = _ => ModelShape.Tiny.Name,
    };

    private static readonly Option<string> Type = new("--type")
    {
        Description = "weight type: f32, f16, q8_0, q4_0 (norms and biases stay f32)",
        DefaultValueFactory = _ => "q8_0",
    };

    private static readonly Option<FileInfo> Out = new("--out") { Description = "the GGUF file to write", Required = true };

    private static readonly Option<ulong> Seed = new("--seed") { Description = "random seed (same seed, same file)", DefaultValueFactory = _ => 1UL };

    public static Command Create()
    {
        var command = new Command("make-model", "write a synthetic GGUF model of a real model's shape, with random weights")
        {
            Shape, Type, Out, Seed,
        };
        command.SetAction((parse, _) =>
        {
            var shape = ModelShape.Find(parse.GetValue(Shape)!)
                ?? throw new UserFacingException($"unknown shape '{parse.GetValue(Shape)}'; known: {string.Join(", ", ModelShape.Known.Select(s => s.Name))}");
            var type = ParseType(parse.GetValue(Type)!);
            var path = parse.GetValue(Out)!.FullName;
            var started = Stopwatch.StartNew();
            Write(shape, type, parse.GetValue(Seed), path);
            Console.WriteLine($"wrote {path}: {shape.Name} {type}, {new FileInfo(path).Length / 1e6:0.0} MB in {started.Elapsed.TotalSeconds:0.0} s");
            return Task.FromResult((int)ExitCode.Ok);
        });
        return command;
    }

    public static void Write(ModelShape shape, GgmlType type, ulong seed, string path)
    {
        var builder = new SyntheticModelBuilder(shape, new SyntheticVocabulary(shape.VocabularySize)) { WeightType = type };
        builder.ExtraMetadata["general.description"] = $"engram-bench synthetic {shape.Name} shape, random weights (seed {seed}); for speed measurements only";
        builder.Build(RandomWeights.Create(seed)).WriteFile(path);
    }

    public static GgmlType ParseType(string text) => text.ToLowerInvariant() switch
    {
        "f32" => GgmlType.F32,
        "f16" => GgmlType.F16,
        "q8_0" => GgmlType.Q8_0,
        "q4_0" => GgmlType.Q4_0,
        _ => throw new UserFacingException($"unknown weight type '{text}'; use f32, f16, q8_0 or q4_0"),
    };
}
