using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 6 that the grading tests must reject.

/// <summary>WRONG: the profile "plus a few CBC suites for old clients".</summary>
public static class CipherListWithCbc
{
    public static IReadOnlyList<TlsCipherSuite> MozillaIntermediate { get; } =
    [
        .. Exercises.ModernCiphers.MozillaIntermediate,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate),
    };
}

/// <summary>WRONG: the TLS 1.2 suites of the profile, for ECDSA certificates only, and no TLS 1.3 suites.</summary>
public static class EcdsaOnlyTls12List
{
    public static IReadOnlyList<TlsCipherSuite> MozillaIntermediate { get; } =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate),
    };
}

/// <summary>WRONG: the right list, never applied: no CipherSuitesPolicy on the options.</summary>
public static class ListNeverApplied
{
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    };
}
