using Engram.ModelFiles.Gguf;
using Engram.ModelFiles.Synthetic;

namespace Engram.ModelFiles.Tests;

/// <summary>A valid tiny GGUF model in memory, and where its parts are, for corrupting it precisely.</summary>
internal static class TinyModelBytes
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = new MemoryStream();
        new SyntheticModelBuilder(ModelShape.Tiny, new SyntheticVocabulary(ModelShape.Tiny.VocabularySize)) { WeightType = GgmlType.Q8_0 }
            .Build(RandomWeights.Create(7)).WriteTo(stream);
        return stream.ToArray();
    });

    public static byte[] Valid() => (byte[])Bytes.Value.Clone();

    public static GgufInspection InspectValid() => GgufReader.Inspect(new MemoryStream(Valid()));
}
