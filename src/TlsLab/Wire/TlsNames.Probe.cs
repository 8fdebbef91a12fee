namespace TlsLab.Wire;

public static partial class TlsNames
{
    /// <summary>Every cipher suite code point this class can name, for a scanner that offers them all.</summary>
    internal static IEnumerable<ushort> KnownCipherSuites => CipherSuites.Keys.Order();

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
