using System.Net.Security;
using System.Runtime.Versioning;

namespace TlsLab.Exercises;

/// <summary>Exercise 6: a server that speaks only the cipher suites of Mozilla's "intermediate" profile. Task: README.md in this folder.</summary>
public static class ModernCiphers
{
    /// <summary>
    /// The suites of Mozilla's intermediate server profile with ECDHE key exchange: the three TLS 1.3
    /// suites, then TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305, for ECDSA and RSA certificates.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> MozillaIntermediate =>
        throw new NotImplementedException("Exercise 6, MozillaIntermediate: see notebooks/06-ciphers.ipynb and exercises/06-ciphers/HINTS.md");

    /// <summary>Server options that serve <paramref name="certificate"/> with TLS 1.2/1.3 and <see cref="MozillaIntermediate"/> only.</summary>
    /// <remarks>Not on Windows, where cipher suites are a machine-wide setting; the attribute makes the compiler check callers.</remarks>
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate)
    {
        // TODO: certificate, protocol versions and a CipherSuitesPolicy made from MozillaIntermediate.
        throw new NotImplementedException("Exercise 6, CreateServerOptions: see notebooks/06-ciphers.ipynb and exercises/06-ciphers/HINTS.md");
    }
}
