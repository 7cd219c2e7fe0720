using System.Text;
using Engram.Inference.Engine;

namespace Engram.Inference.Tests.Engine;

public sealed class Utf8TokenAssemblerTests
{
    [Fact]
    public void Append_SplitCharacter_IsHeldBackUntilItsLastByte()
    {
        var assembler = new Utf8TokenAssembler();
        var euro = Encoding.UTF8.GetBytes("€"); // E2 82 AC

        Assert.Equal("", assembler.Append(euro.AsSpan(0, 1)));
        Assert.Equal("", assembler.Append(euro.AsSpan(1, 1)));
        Assert.Equal("€", assembler.Append(euro.AsSpan(2, 1)));
    }

    [Fact]
    public void Append_TextThenStartOfCharacter_ReleasesTheTextOnly()
    {
        var assembler = new Utf8TokenAssembler();
        var bytes = Encoding.UTF8.GetBytes("ab😀");

        Assert.Equal("ab", assembler.Append(bytes.AsSpan(0, 4)));
        Assert.Equal("😀", assembler.Append(bytes.AsSpan(4)));
    }

    [Fact]
    public void Append_InvalidBytes_BecomeReplacementCharactersAtOnce()
    {
        var assembler = new Utf8TokenAssembler();

        Assert.Equal("a\uFFFD", assembler.Append([(byte)'a', 0x80]));
        Assert.Equal("\uFFFD", assembler.Append([0xFF]));
    }

    [Fact]
    public void Flush_UnfinishedCharacter_BecomesOneReplacementCharacter()
    {
        var assembler = new Utf8TokenAssembler();
        assembler.Append([0xE2, 0x82]);

        Assert.Equal("\uFFFD", assembler.Flush());
        Assert.Equal("", assembler.Flush());
    }

    [Fact]
    public void Append_EveryByteSplitOfMixedText_ReassemblesExactly()
    {
        var text = "Grüße, 世界! 🙂 ok";
        var bytes = Encoding.UTF8.GetBytes(text);
        var assembler = new Utf8TokenAssembler();
        var output = new StringBuilder();

        foreach (var b in bytes)
        {
            var piece = assembler.Append([b]);
            Assert.DoesNotContain('\uFFFD', piece);
            output.Append(piece);
        }
        output.Append(assembler.Flush());

        Assert.Equal(text, output.ToString());
    }
}
