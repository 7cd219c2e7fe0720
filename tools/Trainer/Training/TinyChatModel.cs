using Engram.ModelFiles.Gguf;
using Engram.ModelFiles.Synthetic;
using Engram.Trainer.Ggml;

namespace Engram.Trainer.Training;

/// <summary>
/// The llama-architecture model being trained, as ggml tensors: its weights (allocated on the CPU backend
/// and marked trainable) and a forward graph that mirrors llama.cpp's llama graph without a KV cache, so
/// what is learnt here is what llama.cpp runs later.
/// </summary>
internal sealed unsafe class TinyChatModel : IDisposable
{
    private const float RmsEpsilon = 1e-5f;
    private const float RopeBase = 10000f;

    private readonly GgmlApi _g;
    private readonly TrainingConfig _config;
    private readonly int _vocabulary;
    private readonly nint _weightsContext;
    private readonly List<(string Name, nint Tensor, long[] Dims)> _weights = [];

    public TinyChatModel(GgmlApi g, TrainingConfig config, int vocabulary, nint cpuBackend)
    {
        _g = g;
        _config = config;
        _vocabulary = vocabulary;
        _weightsContext = g.Init(new GgmlInitParams { MemSize = 64 << 20, NoAlloc = 1 });
        long e = config.Embedding, f = config.FeedForward, v = vocabulary;
        Weight("token_embd.weight", e, v);
        for (var l = 0; l < config.Layers; l++)
        {
            Weight($"blk.{l}.attn_norm.weight", e);
            Weight($"blk.{l}.attn_q.weight", e, e);
            Weight($"blk.{l}.attn_k.weight", e, e);
            Weight($"blk.{l}.attn_v.weight", e, e);
            Weight($"blk.{l}.attn_output.weight", e, e);
            Weight($"blk.{l}.ffn_norm.weight", e);
            Weight($"blk.{l}.ffn_gate.weight", e, f);
            Weight($"blk.{l}.ffn_up.weight", e, f);
            Weight($"blk.{l}.ffn_down.weight", f, e);
        }
        Weight("output_norm.weight", e);
        Weight("output.weight", e, v);
        // Inputs live with the weights: static graphs need them allocated before ggml_opt_init.
        Tokens = g.NewTensor1d(_weightsContext, GgmlApi.TypeI32, (long)config.SequenceLength * config.Batch);
        Positions = g.NewTensor1d(_weightsContext, GgmlApi.TypeI32, config.SequenceLength);
        g.SetInput(Tokens);
        g.AllocCtxTensors(_weightsContext, cpuBackend);
        var positions = Enumerable.Range(0, config.SequenceLength).ToArray();
        fixed (int* p = positions)
        {
            g.TensorSet(Positions, p, 0, (nuint)(positions.Length * 4));
        }
    }

    public nint Tokens { get; }
    public nint Positions { get; }
    public long ParameterCount => _weights.Sum(w => w.Dims.Aggregate(1L, (a, d) => a * d));

    private void Weight(string name, params long[] dims)
    {
        var tensor = dims.Length == 1 ? _g.NewTensor1d(_weightsContext, GgmlApi.TypeF32, dims[0]) : _g.NewTensor2d(_weightsContext, GgmlApi.TypeF32, dims[0], dims[1]);
        _g.SetParam(tensor);
        _weights.Add((name, tensor, dims));
    }

    /// <summary>Initial values: embeddings N(0,1), projections N(0,1/√fan_in), residual outputs scaled by 1/√(2L), norms 1.</summary>
    public void Initialize(int seed)
    {
        var random = new Random(seed);
        var residualScale = 1f / MathF.Sqrt(2f * _config.Layers);
        foreach (var (name, tensor, dims) in _weights)
        {
            var count = dims.Aggregate(1L, (a, d) => a * d);
            var values = new float[count];
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                Array.Fill(values, 1f);
            }
            else
            {
                var std = name switch
                {
                    "token_embd.weight" => 1f,
                    "output.weight" => 0.5f / MathF.Sqrt(dims[0]),
                    _ when name.EndsWith("attn_output.weight") || name.EndsWith("ffn_down.weight") => residualScale / MathF.Sqrt(dims[0]),
                    _ => 1f / MathF.Sqrt(dims[0]),
                };
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = std * Gaussian(random);
                }
            }
            fixed (float* p = values)
            {
                _g.TensorSet(tensor, p, 0, (nuint)(values.Length * 4));
            }
        }
    }

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Builds the forward graph in <paramref name="ctx"/>: logits of shape [vocabulary, sequence × batch].</summary>
    public nint Forward(nint ctx)
    {
        long e = _config.Embedding, hd = _config.HeadDimension, h = _config.Heads, t = _config.SequenceLength, b = _config.Batch;
        nint W(string name) => _weights.First(w => w.Name == name).Tensor;
        var x = _g.GetRows(ctx, W("token_embd.weight"), Tokens);
        for (var l = 0; l < _config.Layers; l++)
        {
            var p = $"blk.{l}.";
            var n = _g.Mul(ctx, _g.RmsNorm(ctx, x, RmsEpsilon), W(p + "attn_norm.weight"));
            var q = Rope(ctx, _g.Reshape4d(ctx, _g.MulMat(ctx, W(p + "attn_q.weight"), n), hd, h, t, b), (int)hd);
            var k = Rope(ctx, _g.Reshape4d(ctx, _g.MulMat(ctx, W(p + "attn_k.weight"), n), hd, h, t, b), (int)hd);
            var v = _g.Reshape4d(ctx, _g.MulMat(ctx, W(p + "attn_v.weight"), n), hd, h, t, b);
            q = _g.Permute(ctx, q, 0, 2, 1, 3);
            k = _g.Permute(ctx, k, 0, 2, 1, 3);
            var kq = _g.MulMat(ctx, k, q);
            kq = _g.SoftMaxExt(ctx, _g.DiagMaskInf(ctx, kq, 0), 0, 1f / MathF.Sqrt(hd), 0f);
            var vt = _g.Cont(ctx, _g.Permute(ctx, v, 1, 2, 0, 3));
            var kqv = _g.Cont(ctx, _g.Permute(ctx, _g.MulMat(ctx, vt, kq), 0, 2, 1, 3));
            x = _g.Add(ctx, x, _g.MulMat(ctx, W(p + "attn_output.weight"), _g.Reshape2d(ctx, kqv, e, t * b)));

            n = _g.Mul(ctx, _g.RmsNorm(ctx, x, RmsEpsilon), W(p + "ffn_norm.weight"));
            var gate = _g.Silu(ctx, _g.MulMat(ctx, W(p + "ffn_gate.weight"), n));
            var up = _g.MulMat(ctx, W(p + "ffn_up.weight"), n);
            x = _g.Add(ctx, x, _g.MulMat(ctx, W(p + "ffn_down.weight"), _g.Mul(ctx, gate, up)));
        }
        var final = _g.Mul(ctx, _g.RmsNorm(ctx, x, RmsEpsilon), W("output_norm.weight"));
        return _g.MulMat(ctx, W("output.weight"), final);
    }

    private nint Rope(nint ctx, nint tensor, int dims) =>
        _g.RopeExt(ctx, tensor, Positions, 0, dims, 0, 0, RopeBase, 1f, 0f, 1f, 32f, 1f);

    /// <summary>Writes the trained weights as a llama GGUF that llama.cpp loads like any model.</summary>
    public void Export(string path, SpmTokenizer tokenizer, GgmlType weightType, IDictionary<string, string> metadata)
    {
        var values = _weights.ToDictionary(w => w.Name, w =>
        {
            var array = new float[w.Dims.Aggregate(1L, (a, d) => a * d)];
            fixed (float* p = array)
            {
                _g.TensorGet(w.Tensor, p, 0, (nuint)(array.Length * 4));
            }
            return array;
        });
        var shape = new ModelShape("engram-tiny-chat", "llama", _config.Embedding, _config.Layers, _config.Heads, _config.Heads,
            _config.FeedForward, _vocabulary, _config.SequenceLength, RopeBase, TiedEmbeddings: false, QkvBias: false);
        var builder = new SyntheticModelBuilder(shape, tokenizer) { Name = "engram-tiny-chat", WeightType = weightType, RmsEpsilon = RmsEpsilon };
        foreach (var (key, value) in metadata)
        {
            builder.ExtraMetadata[key] = value;
        }
        builder.Build((name, dims) =>
        {
            var source = values[name];
            return (row, destination) => source.AsSpan((int)(row * (long)dims[0]), (int)dims[0]).CopyTo(destination);
        }).WriteFile(path);
    }

    public void Dispose() => _g.Free(_weightsContext);
}
