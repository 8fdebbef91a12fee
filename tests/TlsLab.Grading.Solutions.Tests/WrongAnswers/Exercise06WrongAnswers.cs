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

/// <summary>Exercise 6's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise06Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("6: a cipher list that still allows CBC",
            Right with
            {
                Ciphers = new CipherApi(() => CipherListWithCbc.MozillaIntermediate, context => OperatingSystem.IsWindows()
                    ? throw new PlatformNotSupportedException()
                    : CipherListWithCbc.CreateServerOptions(context)),
            },
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 2),
            ("6:The_server_refuses_a_client_that_offers_only_CBC", 2)),
        new("6: ECDSA-only TLS 1.2 suites, no TLS 1.3",
            Right with
            {
                Ciphers = new CipherApi(() => EcdsaOnlyTls12List.MozillaIntermediate, context => OperatingSystem.IsWindows()
                    ? throw new PlatformNotSupportedException()
                    : EcdsaOnlyTls12List.CreateServerOptions(context)),
            },
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 3),
            ("6:The_server_negotiates_an_AEAD_suite(Rsa2048, Tls12)", 4)),
        new("6: the list never applied as a CipherSuitesPolicy",
            Right with { Ciphers = Right.Ciphers with { CreateServerOptions = ListNeverApplied.CreateServerOptions } },
            ("6:The_server_refuses_a_client_that_offers_only_CBC", 5)),
        
    ];
}
