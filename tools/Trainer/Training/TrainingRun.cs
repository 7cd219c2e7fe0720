using System.Diagnostics;
using System.Runtime.InteropServices;
using Engram.Trainer.Corpus;
using Engram.Trainer.Ggml;

namespace Engram.Trainer.Training;

/// <summary>One point of the loss curve.</summary>
internal sealed record LossPoint(int Step, double Loss, double Accuracy, float LearningRate);

/// <summary>
/// The training loop: ggml's optimizer (AdamW) on static graphs, fresh synthetic exchanges every step packed
/// into sequences, dense one-hot labels, warm-up then cosine learning rate.
/// </summary>
internal sealed unsafe class TrainingRun(GgmlApi g, TrainingConfig config, Func<string, int[]> tokenize, int vocabulary, TextWriter log)
{
    public IReadOnlyList<LossPoint> Curve => _curve;
    private readonly List<LossPoint> _curve = [];

    public TinyChatModel Train()
    {
        var cpu = g.CpuInit();
        g.CpuSetThreads(cpu, config.Threads);
        var model = new TinyChatModel(g, config, vocabulary, cpu);
        model.Initialize(config.Seed);
        log.WriteLine($"model: {model.ParameterCount:N0} parameters, E={config.Embedding} L={config.Layers} H={config.Heads} F={config.FeedForward} V={vocabulary}");

        var compute = g.Init(new GgmlInitParams { MemSize = 256 << 20, NoAlloc = 1 });
        var logits = model.Forward(compute);
        var backends = stackalloc nint[1] { cpu };
        var scheduler = g.SchedNew(backends, null, 1, 16384, 0, 0);
        var optimizer = (GgmlOptimizerParams*)NativeMemory.AllocZeroed((nuint)sizeof(GgmlOptimizerParams));
        *optimizer = new GgmlOptimizerParams { AdamBeta1 = 0.9f, AdamBeta2 = 0.999f, AdamEps = 1e-8f, AdamWeightDecay = config.WeightDecay };
        var parameters = g.OptDefaultParams(scheduler, GgmlApi.LossCrossEntropy);
        parameters.CtxCompute = compute;
        parameters.Inputs = model.Tokens;
        parameters.Outputs = logits;
        parameters.GetOptPars = g.ConstantOptimizerParams;
        parameters.GetOptParsUserdata = (nint)optimizer;
        var opt = g.OptInit(parameters);
        var result = g.OptResultInit();

        var corpus = new ChatCorpus(config.Seed);
        var pending = new Queue<int>();
        var positions = config.SequenceLength * config.Batch;
        var tokens = new int[positions];
        var targets = new int[positions];
        var clock = Stopwatch.StartNew();
        var reportEvery = Math.Max(1, config.Steps / 12);
        try
        {
            for (var step = 1; step <= config.Steps; step++)
            {
                optimizer->AdamAlpha = LearningRate(step);
                FillBatch(corpus, pending, tokens, targets);
                g.OptAlloc(opt, 1);
                fixed (int* t = tokens)
                {
                    Buffer.MemoryCopy(t, (void*)g.GetData(model.Tokens), positions * 4, positions * 4);
                }
                var labels = (float*)g.GetData(g.OptLabels(opt));
                new Span<float>(labels, positions * vocabulary).Clear();
                for (var i = 0; i < positions; i++)
                {
                    labels[(long)i * vocabulary + targets[i]] = 1f;
                }
                g.OptEval(opt, result);
                if (step % reportEvery == 0 || step == config.Steps)
                {
                    double loss, accuracy, unused;
                    g.OptResultLoss(result, &loss, &unused);
                    g.OptResultAccuracy(result, &accuracy, &unused);
                    g.OptResultReset(result);
                    _curve.Add(new LossPoint(step, loss, accuracy, optimizer->AdamAlpha));
                    log.WriteLine($"step {step,5}/{config.Steps}  loss {loss,7:0.000}  token accuracy {accuracy,6:P1}  lr {optimizer->AdamAlpha:0.0e0}  " +
                        $"{clock.Elapsed.TotalSeconds,6:0.0} s  {(double)step * positions / clock.Elapsed.TotalSeconds,6:0} tok/s");
                }
            }
        }
        finally
        {
            g.OptResultFree(result);
            g.OptFree(opt);
            g.Free(compute);
            NativeMemory.Free(optimizer);
        }
        return model;
    }

    /// <summary>Linear warm-up, then cosine decay from the peak to the minimum.</summary>
    private float LearningRate(int step)
    {
        if (step <= config.WarmupSteps)
        {
            return config.PeakLearningRate * step / config.WarmupSteps;
        }
        var progress = (double)(step - config.WarmupSteps) / Math.Max(1, config.Steps - config.WarmupSteps);
        return (float)(config.MinLearningRate + 0.5 * (config.PeakLearningRate - config.MinLearningRate) * (1 + Math.Cos(Math.PI * progress)));
    }

    // Whole exchanges, each starting with <s>, packed back to back; a sequence's targets are its tokens shifted by one.
    private void FillBatch(ChatCorpus corpus, Queue<int> pending, int[] tokens, int[] targets)
    {
        var t = config.SequenceLength;
        for (var sequence = 0; sequence < config.Batch; sequence++)
        {
            var window = new int[t + 1];
            pending.Clear(); // every sequence starts at the beginning of an exchange
            for (var i = 0; i <= t; i++)
            {
                while (pending.Count == 0)
                {
                    foreach (var id in tokenize(ChatCorpus.Render(corpus.Next())))
                    {
                        pending.Enqueue(id);
                    }
                }
                window[i] = pending.Dequeue();
            }
            Array.Copy(window, 0, tokens, sequence * t, t);
            Array.Copy(window, 1, targets, sequence * t, t);
        }
    }
}
