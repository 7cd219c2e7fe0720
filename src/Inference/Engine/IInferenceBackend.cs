namespace Engram.Inference.Engine;

/// <summary>A way of running models (llama.cpp on the CPU, RKLLM on the NPU). The engine sees backends only through this.</summary>
public interface IInferenceBackend
{
    /// <summary>The name profiles use in <c>backend</c>.</summary>
    string Name { get; }

    /// <summary>Loads the profile's model; throws <see cref="ModelLoadException"/> with a failure class when it cannot.</summary>
    Task<ILoadedModel> LoadAsync(ModelProfile profile, CancellationToken cancellationToken);

    /// <summary>The CPUs the profile's engine threads are kept to on this machine; null when they may run on any.</summary>
    IReadOnlyList<int>? EngineCpus(ModelProfile profile);
}
