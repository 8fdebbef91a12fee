namespace TlsLab.Wire;

/// <summary>
/// RFC 8446, 4.1.3: a HelloRetryRequest is a ServerHello whose random is the fixed value SHA-256("HelloRetryRequest"), asking
/// the client to try again with another key share. Every reader of ServerHellos tells the two apart by this one constant.
/// </summary>
internal static class HelloRetryRequest
{
    /// <summary>The random of a HelloRetryRequest.</summary>
    public static ReadOnlySpan<byte> Random =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    /// <summary>Whether a ServerHello with this random is a HelloRetryRequest.</summary>
    public static bool IsRandom(ReadOnlySpan<byte> serverRandom) => serverRandom.SequenceEqual(Random);
}
