using System.Numerics;

namespace TlsLab.Cli.Probe;

/// <summary>
/// The well-known finite-field Diffie-Hellman groups, recognised by their prime: the five of RFC 7919 (ffdhe2048 to ffdhe8192, the ones
/// TLS names), and the older MODP groups of RFC 2409 and RFC 3526 (IKE's, which OpenSSL picks by itself for DHE when no group is
/// configured). Each RFC defines its primes by a formula rather than a table: p = 2^b - 2^(b-64) + (floor(2^(b-130) * e) + X) * 2^64 - 1
/// for RFC 7919, the same shape with pi for the MODP groups; so the primes are computed here from e, pi and each RFC's X (checked
/// against OpenSSL's built-in groups by the tests).
/// </summary>
internal static class FfdheGroups
{
    private static readonly (int Bits, int X)[] Sizes = [(2048, 560316), (3072, 2625351), (4096, 5736041), (6144, 15705020), (8192, 10965728)];

    private static readonly (int Bits, int X)[] ModpSizes =
        [(768, 149686), (1024, 129093), (1536, 741804), (2048, 124476), (3072, 1690314), (4096, 240904), (6144, 929484), (8192, 4743158)];

    private static readonly Lazy<IReadOnlyDictionary<BigInteger, string>> Primes = new(() =>
        Sizes.Select(s => (Prime(s.Bits, s.X), $"ffdhe{s.Bits}"))
            .Concat(ModpSizes.Select(s => (ModpPrime(s.Bits, s.X), $"modp{s.Bits}")))
            .ToDictionary(p => p.Item1, p => p.Item2));

    /// <summary>True for the names of RFC 7919's groups (ffdhe...), false for the older MODP ones.</summary>
    public static bool IsRfc7919(string name) => name.StartsWith("ffdhe", StringComparison.Ordinal);

    /// <summary>"ffdhe2048", "modp1024" ... when <paramref name="prime"/> (big-endian, as on the wire) is a well-known prime, else null.</summary>
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

    // RFC 2409, 6.2 and RFC 3526: p = 2^b - 2^(b-64) - 1 + 2^64 * (floor(2^(b-130) * pi) + X).
    private static BigInteger ModpPrime(int bits, int x) =>
        BigInteger.Pow(2, bits) - BigInteger.Pow(2, bits - 64) - 1 + ((PiScaled(bits - 130) + x) << 64);

    /// <summary>floor(2^<paramref name="bits"/> * pi), by Machin's formula pi = 16 atan(1/5) - 4 atan(1/239), with guard bits.</summary>
    private static BigInteger PiScaled(int bits)
    {
        const int guard = 80;
        var one = BigInteger.One << (bits + guard);
        return ((16 * ArctanInverse(5, one)) - (4 * ArctanInverse(239, one))) >> guard;
    }

    /// <summary>atan(1/<paramref name="x"/>) * <paramref name="one"/>, from its series 1/x - 1/(3x^3) + 1/(5x^5) - ...</summary>
    private static BigInteger ArctanInverse(int x, BigInteger one)
    {
        var sum = BigInteger.Zero;
        var power = one / x;
        var square = x * x;
        for (var k = 1; !power.IsZero; k += 2)
        {
            sum += (k / 2 % 2 == 0 ? power : -power) / k;
            power /= square;
        }

        return sum;
    }

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
