using System.Numerics;

namespace TlsLab.Cli.Probe;

/// <summary>
/// The five finite-field Diffie-Hellman groups of RFC 7919 (ffdhe2048 to ffdhe8192), recognised by their prime. RFC 7919 defines each
/// prime by a formula rather than a table, p = 2^b - 2^(b-64) + (floor(2^(b-130) * e) + X) * 2^64 - 1, so the primes are computed
/// here from e and the RFC's X for each size (checked against OpenSSL's built-in groups by the tests).
/// </summary>
internal static class FfdheGroups
{
    private static readonly (int Bits, int X)[] Sizes = [(2048, 560316), (3072, 2625351), (4096, 5736041), (6144, 15705020), (8192, 10965728)];

    private static readonly Lazy<IReadOnlyDictionary<BigInteger, string>> Primes = new(() =>
        Sizes.ToDictionary(s => Prime(s.Bits, s.X), s => $"ffdhe{s.Bits}"));

    /// <summary>"ffdhe2048" ... when <paramref name="prime"/> (big-endian, as on the wire) is one of the RFC 7919 primes, else null.</summary>
    public static string? Name(ReadOnlySpan<byte> prime) =>
        Primes.Value.TryGetValue(new BigInteger(prime, isUnsigned: true, isBigEndian: true), out var name) ? name : null;

    /// <summary>The RFC 7919 prime of <paramref name="bits"/> bits (2048, 3072, 4096, 6144 or 8192), big-endian.</summary>
    public static byte[] PrimeBytes(int bits)
    {
        var (size, x) = Sizes.Single(s => s.Bits == bits);
        return Prime(size, x).ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    private static BigInteger Prime(int bits, int x) =>
        BigInteger.Pow(2, bits) - BigInteger.Pow(2, bits - 64) + ((EScaled(bits - 130) + x) << 64) - 1;

    /// <summary>floor(2^<paramref name="bits"/> * e), from e = sum of 1/k!, with guard bits so that the truncated terms cannot show.</summary>
    private static BigInteger EScaled(int bits)
    {
        const int guard = 80;
        var sum = BigInteger.Zero;
        var term = BigInteger.One << (bits + guard);
        for (var k = 1; !term.IsZero; k++)
        {
            sum += term;
            term /= k;
        }

        return sum >> guard;
    }
}
