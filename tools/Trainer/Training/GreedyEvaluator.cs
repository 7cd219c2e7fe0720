using System.Text;
using Engram.Trainer.Corpus;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Engram.Trainer.Training;

/// <summary>The trained file, reloaded by llama.cpp and asked every evaluation prompt greedily through its chat template.</summary>
internal sealed class GreedyEvaluator(string modelPath) : IDisposable
{
    private readonly LLamaWeights _weights = LLamaWeights.LoadFromFile(new ModelParams(modelPath) { ContextSize = 256 });

    public string Answer(string question, int maxTokens = 120)
    {
        using var context = _weights.CreateContext(new ModelParams("") { ContextSize = 256, BatchSize = 256 });
        var template = new LLamaTemplate(_weights) { AddAssistant = true };
        template.Add("user", question);
        var prompt = _weights.Tokenize(Encoding.UTF8.GetString(template.Apply()), true, true, Encoding.UTF8);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Length; i++)
        {
            batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        }
        context.NativeHandle.Decode(batch);
        var output = new List<byte>();
        var buffer = new byte[32];
        using var sampler = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        sampler.AddGreedySampler();
        for (var position = prompt.Length; output.Count < maxTokens * 4 && position < 250; position++)
        {
            var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
            if (token.IsEndOfGeneration(_weights.Vocab))
            {
                break;
            }
            var length = (int)_weights.NativeHandle.TokenToSpan(token, buffer);
            output.AddRange(buffer.AsSpan(0, Math.Min(length, buffer.Length)));
            batch.Clear();
            batch.Add(token, position, LLamaSeqId.Zero, true);
            context.NativeHandle.Decode(batch);
        }
        return Encoding.UTF8.GetString(output.ToArray()).Trim();
    }

    /// <summary>Correct answers per group, e.g. addition 100/100.</summary>
    public IReadOnlyDictionary<string, (int Correct, int Total)> Evaluate(IEnumerable<EvaluationCase> cases, TextWriter log)
    {
        var scores = new Dictionary<string, (int Correct, int Total)>();
        foreach (var item in cases)
        {
            var answer = Answer(item.Prompt);
            var correct = answer == item.Expected;
            if (!correct)
            {
                log.WriteLine($"  miss [{item.Group}] {item.Prompt} -> {answer} (expected {item.Expected})");
            }
            var (c, t) = scores.GetValueOrDefault(item.Group);
            scores[item.Group] = (c + (correct ? 1 : 0), t + 1);
        }
        return scores;
    }

    public void Dispose() => _weights.Dispose();
}
