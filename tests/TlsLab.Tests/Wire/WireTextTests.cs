using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class WireTextTests
{
    [Fact]
    public void Hex_dump_uses_the_classic_layout()
    {
        var dump = WireText.HexDump("GET / HTTP/1.1\r\nHost: x\r\n"u8);

        Assert.Equal(
            """
            00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|
            00000010  48 6f 73 74 3a 20 78 0d  0a                       |Host: x..|
            """.ReplaceLineEndings(),
            dump);
    }

    [Fact]
    public void Hex_dump_says_how_much_it_left_out()
    {
        var dump = WireText.HexDump(new byte[100], maxBytes: 32);

        Assert.Equal(3, dump.Split(Environment.NewLine).Length);
        Assert.EndsWith("... (68 more bytes not shown)", dump, StringComparison.Ordinal);
        Assert.Equal("(no bytes)", WireText.HexDump([]));
    }

    [Fact]
    public void Printable_keeps_text_readable_and_turns_binary_into_dots()
    {
        Assert.Equal("GET / HTTP/1.1\nHost: x\n", WireText.Printable("GET / HTTP/1.1\r\nHost: x\r\n"u8));
        Assert.Equal("......", WireText.Printable([0x16, 0x03, 0x01, 0x00, 0xFF, 0x7F]));
        Assert.StartsWith("aaaa", WireText.Printable(new byte[10].Select(_ => (byte)'a').ToArray(), maxBytes: 4), StringComparison.Ordinal);
        Assert.EndsWith("(6 more bytes not shown)", WireText.Printable(new byte[10], maxBytes: 4), StringComparison.Ordinal);
    }
}
