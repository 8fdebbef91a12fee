using System.Buffers.Binary;

namespace TlsLab.Wire;

/// <summary>
/// The one reader of TLS's big-endian fields and length-prefixed vectors (RFC 8446, 3.4) that the parsers of what
/// crossed the wire share: every read says whether its bytes were there, and nothing is read past the end, so a
/// hostile length can only make a read fail.
/// </summary>
internal ref struct TlsCursor(ReadOnlySpan<byte> data)
{
    /// <summary>The size of a handshake message's header: a type byte and a 3-byte length.</summary>
    public const int HandshakeHeaderSize = 4;

    private readonly ReadOnlySpan<byte> _data = data;

    /// <summary>How many bytes have been read.</summary>
    public int Position { get; private set; }

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool AtEnd => Position >= _data.Length;

    /// <summary>How many bytes are left.</summary>
    public readonly int Left => _data.Length - Position;

    /// <summary>
    /// Reads a handshake message's header at the start of <paramref name="bytes"/>; false when fewer than
    /// <see cref="HandshakeHeaderSize"/> bytes are there. The body may still be incomplete: compare the length with what follows.
    /// </summary>
    public static bool HandshakeHeader(ReadOnlySpan<byte> bytes, out byte type, out int length)
    {
        var cursor = new TlsCursor(bytes);
        length = 0;
        return cursor.U8(out type) && cursor.Length(3, out length);
    }

    /// <summary>Reads one byte.</summary>
    public bool U8(out byte value)
    {
        value = 0;
        if (Left < 1)
        {
            return false;
        }

        value = _data[Position++];
        return true;
    }

    /// <summary>Reads a 2-byte big-endian number.</summary>
    public bool U16(out ushort value)
    {
        value = 0;
        if (Left < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
        Position += 2;
        return true;
    }

    /// <summary>Reads a 4-byte big-endian number.</summary>
    public bool U32(out uint value)
    {
        value = 0;
        if (Left < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_data[Position..]);
        Position += 4;
        return true;
    }

    /// <summary>Reads a big-endian length of 1, 2 or 3 bytes, the prefixes TLS's vectors use.</summary>
    public bool Length(int prefixBytes, out int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixBytes, 3);
        length = 0;
        if (!Take(prefixBytes, out var prefix))
        {
            return false;
        }

        foreach (var b in prefix)
        {
            length = (length << 8) | b;
        }

        return true;
    }

    /// <summary>Takes the next <paramref name="count"/> bytes.</summary>
    public bool Take(int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (count < 0 || Left < count)
        {
            return false;
        }

        bytes = _data.Slice(Position, count);
        Position += count;
        return true;
    }

    /// <summary>Takes a vector: a length of <paramref name="prefixBytes"/> bytes, then that many bytes.</summary>
    public bool Vector(int prefixBytes, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        var start = Position;
        if (Length(prefixBytes, out var length) && Take(length, out bytes))
        {
            return true;
        }

        Position = start;
        return false;
    }
}
