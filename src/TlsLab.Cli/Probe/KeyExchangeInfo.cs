using TlsLab.Wire;

namespace TlsLab.Cli.Probe;

/// <summary>An ephemeral key exchange as a TLS 1.2 ServerKeyExchange showed it.</summary>
/// <param name="Kind">"DH" (finite field, a DHE suite) or "ECDH" (elliptic curve, an ECDHE suite).</param>
/// <param name="Bits">The prime's size for DH; the curve's size for ECDH (x25519 counts as 256).</param>
/// <param name="Group">The group's name: an RFC 7919 ffdhe group, a named curve, or null for a DH group the server made up itself.</param>
internal sealed record KeyExchangeInfo(string Kind, int Bits, string? Group)
{
    /// <summary>Reads <paramref name="answer"/>'s ServerKeyExchange, or null when the suite has no ephemeral key exchange.</summary>
    public static KeyExchangeInfo? From(ServerAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.DhPrime is { Length: > 0 } prime)
        {
            return new KeyExchangeInfo("DH", BitLength(prime), FfdheGroups.Name(prime));
        }

        return answer.KeyExchangeGroup is { } group ? new KeyExchangeInfo("ECDH", CurveBits(group), TlsNames.Group(group)) : null;
    }

    /// <summary>"DH 1024 bits (modp1024 of RFC 2409, not an RFC 7919 group)", "ECDH x25519 (256 bits)", for a report line.</summary>
    public string Describe() => Kind switch
    {
        "DH" when Group is null => $"DH {Bits} bits (a group of the server's own, not one of RFC 7919)",
        "DH" when FfdheGroups.IsRfc7919(Group) => $"DH {Bits} bits ({Group}, RFC 7919)",
        "DH" => $"DH {Bits} bits ({Group}, an IKE group of RFC 2409/3526, not one of RFC 7919)",
        _ => $"ECDH {Group} ({Bits} bits)",
    };

    private static int BitLength(byte[] bigEndian) => ((bigEndian.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)bigEndian[0]));

    private static int CurveBits(ushort group) => group switch
    {
        0x0017 or 0x001D => 256, // secp256r1; x25519 (a 255-bit field, 128-bit security like P-256)
        0x0018 => 384,
        0x0019 => 521,
        0x001E => 448,
        0x001A => 256, // brainpoolP256r1
        0x001B => 384,
        0x001C => 512,
        0x0015 => 224, // secp224r1
        0x0013 => 192, // secp192r1
        _ => 0,
    };
}
