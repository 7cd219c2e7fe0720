namespace Engram.Trainer.Training;

/// <summary>Everything that decides the trained model; recorded in its sidecar so a run can be reproduced.</summary>
internal sealed record TrainingConfig(
    string Name,
    int Embedding,
    int Layers,
    int Heads,
    int FeedForward,
    int SequenceLength,
    int Batch,
    int Steps,
    int WarmupSteps,
    float PeakLearningRate,
    float MinLearningRate,
    float WeightDecay,
    int Seed,
    int Threads)
{
    /// <summary>The shipped model: about a million parameters, ~14 minutes on 2 cores.</summary>
    public static TrainingConfig Default { get; } = new("default", 128, 4, 4, 384, 160, 12, 2000, 50, 3e-3f, 1e-4f, 0.05f, 20261128, 2);

    /// <summary>A few steps of a smaller model: proves the pipeline (loss falls, the file loads and generates) in seconds.</summary>
    public static TrainingConfig Smoke { get; } = new("smoke", 32, 1, 2, 64, 48, 4, 30, 5, 1e-2f, 1e-3f, 0f, 7, 2);

    public int HeadDimension => Embedding / Heads;
}
