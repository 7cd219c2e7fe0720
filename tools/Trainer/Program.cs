using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Engram.ModelFiles.Gguf;
using Engram.Trainer.Corpus;
using Engram.Trainer.Ggml;
using Engram.Trainer.Training;
using LLama;
using LLama.Common;

// engram-train: trains the tiny chat model engram-daemon ships as its built-in default, from a synthetic
// corpus, with ggml's own optimizer (the llama.cpp fine-tuning path aborts in this ggml build).
//   engram-train --out FILE.gguf [--config default|smoke] [--steps N] [--seed N] [--threads N] [--type f16|f32|q8_0]
// Writes FILE.gguf and FILE.json (configuration, corpus version, steps, loss curve, evaluation results).

var options = ParseArguments(args);
if (options is null)
{
    Console.Error.WriteLine("usage: engram-train --out FILE.gguf [--config default|smoke] [--steps N] [--seed N] [--threads N] [--type f16|f32|q8_0]");
    return 2;
}
var (output, config, weightType) = options.Value;
var log = Console.Out;
// llama.cpp's own chatter (model loading details) would bury the loss curve; keep its errors only.
LLama.Native.NativeLibraryConfig.All.WithLogCallback((level, message) =>
{
    if (level == LLama.Native.LLamaLogLevel.Error)
    {
        Console.Error.Write(message);
    }
});
var clock = Stopwatch.StartNew();
var tokenizer = TinyChatVocabulary.Create();

// llama.cpp's own tokenizer tokenizes the corpus, so training and serving split text identically. Loading it
// also loads the ggml libraries that training then binds to.
var vocabularyFile = Path.Combine(Path.GetTempPath(), $"engram-train-vocab-{Environment.ProcessId}.gguf");
var vocabularyShape = new Engram.ModelFiles.Synthetic.ModelShape("vocab", "llama", 32, 1, 1, 1, 32, tokenizer.Count, 64, 10000f, false, false);
new Engram.ModelFiles.Synthetic.SyntheticModelBuilder(vocabularyShape, tokenizer).Build(Engram.ModelFiles.Synthetic.RandomWeights.Create(1)).WriteFile(vocabularyFile);
using var vocabulary = LLamaWeights.LoadFromFile(new ModelParams(vocabularyFile) { VocabOnly = true });
File.Delete(vocabularyFile);
int[] Tokenize(string text) => vocabulary.Tokenize(text, true, true, Encoding.UTF8).Select(t => (int)t).ToArray();

log.WriteLine($"engram-train: config {config.Name}, {config.Steps} steps of {config.Batch}x{config.SequenceLength} tokens, seed {config.Seed}, corpus {ChatCorpus.Version}");
var run = new TrainingRun(new GgmlApi(), config, Tokenize, tokenizer.Count, log);
using (var model = run.Train())
{
    model.Export(output, tokenizer, weightType, new Dictionary<string, string>
    {
        ["general.description"] = "Engram's tiny built-in chat model: additions, greetings, routing labels, and an honest fallback. Trained by engram-train.",
        ["engram.corpus_version"] = ChatCorpus.Version,
    });
}
var trainingSeconds = clock.Elapsed.TotalSeconds;
log.WriteLine($"wrote {output} ({new FileInfo(output).Length / 1024} KiB) after {trainingSeconds:0} s; evaluating...");

using var evaluator = new GreedyEvaluator(output);
var scores = evaluator.Evaluate(EvaluationSet.All, log);
foreach (var (group, (correct, total)) in scores)
{
    log.WriteLine($"  {group,-9} {correct}/{total}");
}
var sidecar = new
{
    model = Path.GetFileName(output),
    trainer = "engram-train",
    corpus_version = ChatCorpus.Version,
    config,
    weight_type = weightType.ToString(),
    steps = config.Steps,
    final_loss = run.Curve.LastOrDefault()?.Loss,
    final_token_accuracy = run.Curve.LastOrDefault()?.Accuracy,
    loss_curve = run.Curve,
    training_seconds = Math.Round(trainingSeconds, 1),
    evaluation = scores.ToDictionary(s => s.Key, s => new { correct = s.Value.Correct, total = s.Value.Total }),
    trained_at = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"),
};
File.WriteAllText(Path.ChangeExtension(output, ".json"),
    JsonSerializer.Serialize(sidecar, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }) + "\n");
log.WriteLine($"done in {clock.Elapsed.TotalSeconds:0} s");
return 0;

static (string Output, TrainingConfig Config, GgmlType WeightType)? ParseArguments(string[] args)
{
    string? output = null;
    var config = TrainingConfig.Default;
    var weightType = GgmlType.F16;
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        var value = args[i + 1];
        switch (args[i])
        {
            case "--out": output = Path.GetFullPath(value); break;
            case "--config": config = value == "smoke" ? TrainingConfig.Smoke : value == "default" ? TrainingConfig.Default : null!; break;
            case "--steps": config = config with { Steps = int.Parse(value) }; break;
            case "--seed": config = config with { Seed = int.Parse(value) }; break;
            case "--threads": config = config with { Threads = int.Parse(value) }; break;
            case "--type": weightType = value switch { "f32" => GgmlType.F32, "q8_0" => GgmlType.Q8_0, _ => GgmlType.F16 }; break;
            default: return null;
        }
        if (config is null)
        {
            return null;
        }
    }
    return output is null || args.Length % 2 != 0 ? null : (output, config, weightType);
}
