using System.Security.Cryptography;
using System.Text;
using TlsLab.Wire;

namespace TlsLab.Tests.Wire;

public class TlsCursorTests
{
    [Fact]
    public void A_vector_is_its_length_prefix_then_that_many_bytes()
    {
        byte[] bytes = [0x00, 0x00, 0x02, 0xAA, 0xBB, 0x01, 0xCC];
        var cursor = new TlsCursor(bytes);

        Assert.True(cursor.Vector(3, out var first), "A 3-byte length of 2 followed by 2 bytes is a whole vector.");
        Assert.Equal([0xAA, 0xBB], first.ToArray());
        Assert.True(cursor.Vector(1, out var second), "A 1-byte length of 1 followed by 1 byte is a whole vector.");
        Assert.Equal([0xCC], second.ToArray());
        Assert.True(cursor.AtEnd, $"Both vectors read, the cursor should be at the end; it is at {cursor.Position} of {bytes.Length}.");
    }

    [Fact]
    public void A_length_that_claims_more_than_is_there_fails_and_reads_nothing()
    {
        byte[] bytes = [0xFF, 0xFF, 0x01, 0x02];
        var cursor = new TlsCursor(bytes);

        Assert.False(cursor.Vector(2, out _), "A 2-byte length of 65535 over 2 bytes must not be read as a vector.");
        Assert.Equal(0, cursor.Position);
        Assert.True(cursor.U16(out var value), "After the failed vector, the same 2 bytes are still there to read.");
        Assert.Equal(0xFFFF, value);
        Assert.False(cursor.Take(3, out _), "Only 2 bytes are left; taking 3 must fail.");
        Assert.False(cursor.Take(-1, out _), "A negative count must fail, not read backwards.");
    }

    [Fact]
    public void A_handshake_header_is_a_type_and_a_three_byte_length()
    {
        Assert.True(TlsCursor.HandshakeHeader([0x02, 0x01, 0x00, 0x02, 0x03], out var type, out var length), "5 bytes hold a whole header.");
        Assert.Equal(2, type);
        Assert.Equal(0x010002, length);
        Assert.False(TlsCursor.HandshakeHeader([0x02, 0x00, 0x00], out _, out _), "3 bytes are too few for a 4-byte header.");
    }

    [Fact]
    public void The_hello_retry_random_is_the_hash_of_its_name_as_RFC_8446_says()
    {
        var expected = SHA256.HashData(Encoding.ASCII.GetBytes("HelloRetryRequest"));

        Assert.Equal(expected, HelloRetryRequest.Random.ToArray());
        Assert.True(HelloRetryRequest.IsRandom(expected), "The RFC's value must be recognised as a HelloRetryRequest.");
        Assert.False(HelloRetryRequest.IsRandom(new byte[32]), "Any other random is a ServerHello's.");
    }
}
