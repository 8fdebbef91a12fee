using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;

namespace TlsLab.Exercises;

/// <summary>Exercise 6: a server that speaks only the cipher suites of Mozilla's "intermediate" profile.</summary>
public static class ModernCiphers
{
    /// <summary>
    /// The suites of Mozilla's intermediate server profile with ECDHE key exchange: the three TLS 1.3
    /// suites, then TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305, for ECDSA and RSA certificates.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> MozillaIntermediate { get; } =
    [
        // TLS 1.3 suites name only the record protection (an AEAD) and the hash: key exchange is
        // always ephemeral (EC)DHE and authentication comes from the certificate, separately.
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,

        // TLS 1.2 suites, in the profile's order. Every one is:
        //  - ECDHE: a fresh key exchange per connection (forward secrecy: stealing the server's key
        //    later does not decrypt recorded traffic), unlike TLS_RSA_WITH_* suites;
        //  - ECDSA or RSA: the certificate's key type; a server needs the pair matching its key,
        //    listing both lets the same policy serve either kind of certificate;
        //  - AES-GCM or ChaCha20-Poly1305: AEAD record protection. No CBC: CBC with a separate HMAC
        //    (MAC-then-encrypt) is the family behind padding-oracle attacks (Lucky Thirteen and its relatives).
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Server options that serve <paramref name="certificate"/> with TLS 1.2/1.3 and <see cref="MozillaIntermediate"/> only.</summary>
    /// <remarks>
    /// Not on Windows: SChannel chooses cipher suites for the whole machine (Group Policy or the
    /// TLS cmdlets), and <see cref="CipherSuitesPolicy"/> throws PlatformNotSupportedException there.
    /// The attribute makes the compiler (CA1416) insist that callers check the platform first.
    /// </remarks>
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,

            // The profile is also a protocol floor: TLS 1.2 and 1.3 only.
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,

            // Python's context.set_ciphers("..."), with IANA names instead of an OpenSSL string.
            // cipherli.st, which the talk used, is gone; Mozilla's profiles are the usual reference.
            // A client that offers none of these is refused during the handshake.
            CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate),
        };
    }
}
