namespace TlsLab.Wire;

public static partial class TlsNames
{
    /// <summary>Every cipher suite code point this class can name, for a scanner that offers them all.</summary>
    internal static IEnumerable<ushort> KnownCipherSuites => CipherSuites.Keys.Order();

    /// <summary>
    /// True for the suites only TLS 1.3 can negotiate: the five of RFC 8446, and the registered TLS 1.3-style suites (SM4 of RFC 8998,
    /// the integrity-only ones of RFC 9150, AEGIS, the GOST MGM suites), which name no key exchange.
    /// </summary>
    internal static bool IsTls13Only(ushort suite) =>
        IsTls13Suite(suite) || suite is 0x00C6 or 0x00C7 or 0x1306 or 0x1307 or 0xC0B4 or 0xC0B5 or (>= 0xC103 and <= 0xC106);

    /// <summary>The code point of a suite by its IANA name, or null when the name is not in the table.</summary>
    internal static ushort? CipherSuiteByName(string name)
    {
        foreach (var (code, known) in CipherSuites)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                return code;
            }
        }

        return null;
    }
}
