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

/// <summary>WRONG: options copied from exercise 7 with ClientCertificateRequired left on: every ordinary client is turned away.</summary>
public static class AsksForClientCertificates
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate)
    {
        var options = Exercises.ModernCiphers.CreateServerOptions(certificate);
        options.ClientCertificateRequired = true;
        return options;
    }
}

/// <summary>WRONG: the right list, but the policy adds static-RSA GCM suites "for old Java clients": no forward secrecy.</summary>
public static class PolicyAddsStaticRsa
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(
        [
            .. Exercises.ModernCiphers.MozillaIntermediate,
            TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ]),
    };
}

/// <summary>WRONG: the right list, but the policy adds ECDHE_RSA CBC suites for legacy clients; an ECDSA-only probe never sees them.</summary>
public static class PolicyAddsRsaCbc
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(
        [
            .. Exercises.ModernCiphers.MozillaIntermediate,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        ]),
    };
}

/// <summary>WRONG: every suite whose name says GCM or CHACHA20, found by filtering the enum: static RSA, static ECDH, DHE-DSS, PSK and more come
/// along.</summary>
public static class EveryGcmSuiteByName
{
    public static IReadOnlyList<TlsCipherSuite> MozillaIntermediate { get; } = Enum.GetValues<TlsCipherSuite>()
        .Where(s => s.ToString().Contains("_GCM_", StringComparison.Ordinal) || s.ToString().Contains("CHACHA20", StringComparison.Ordinal))
        .ToArray();
}

/// <summary>WRONG: all five TLS 1.3 suites, CCM included, because "TLS 1.3 suites are all safe": the profile lists three.</summary>
public static class AllFiveTls13Suites
{
    public static IReadOnlyList<TlsCipherSuite> MozillaIntermediate { get; } =
    [
        .. Exercises.ModernCiphers.MozillaIntermediate,
        TlsCipherSuite.TLS_AES_128_CCM_SHA256,
        TlsCipherSuite.TLS_AES_128_CCM_8_SHA256,
    ];

    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(MozillaIntermediate),
    };
}

/// <summary>WRONG: the right suites, with TLS 1.0 and 1.1 switched back on "for compatibility".</summary>
public static class ReEnablesOldProtocols
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        // Tls | Tls11 by value: the names are obsolete (a compile error in this kit), which is the point.
        EnabledSslProtocols = (SslProtocols)(192 | 768) | SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(Exercises.ModernCiphers.MozillaIntermediate),
    };
}

/// <summary>WRONG: serves ServerCertificate = context.TargetCertificate, so the intermediate the context carries is never sent.</summary>
public static class ServesTheLeafNotTheContext
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificate = certificate.TargetCertificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(Exercises.ModernCiphers.MozillaIntermediate),
    };
}

/// <summary>WRONG: "TLS 1.3 only, to be safe": the profile's TLS 1.2 suites can never be used and TLS 1.2 clients are turned away.</summary>
public static class Tls13Only
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = SslProtocols.Tls13,
        CipherSuitesPolicy = new CipherSuitesPolicy(Exercises.ModernCiphers.MozillaIntermediate),
    };
}

/// <summary>WRONG: the right policy, but the versions left to the operating system (None), which on some systems still accept TLS 1.0 and 1.1.</summary>
public static class ProtocolsLeftToTheOs
{
    [UnsupportedOSPlatform("windows")]
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate) => new()
    {
        ServerCertificateContext = certificate,
        CipherSuitesPolicy = new CipherSuitesPolicy(Exercises.ModernCiphers.MozillaIntermediate),
    };
}

/// <summary>Exercise 6's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise06Cases
{
    private static readonly CiphersApi Right = CiphersApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("6: a cipher list that still allows CBC",
            new CiphersApi(() => CipherListWithCbc.MozillaIntermediate, context => OperatingSystem.IsWindows()
                    ? throw new PlatformNotSupportedException()
                    : CipherListWithCbc.CreateServerOptions(context)),
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 2),
            ("6:The_server_refuses_a_client_that_offers_only_CBC", 2)),
        new("6: ECDSA-only TLS 1.2 suites, no TLS 1.3",
            new CiphersApi(() => EcdsaOnlyTls12List.MozillaIntermediate, context => OperatingSystem.IsWindows()
                    ? throw new PlatformNotSupportedException()
                    : EcdsaOnlyTls12List.CreateServerOptions(context)),
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 3),
            ("6:The_server_negotiates_an_AEAD_suite(Rsa2048, Tls12)", 4)),
        new("6: the list never applied as a CipherSuitesPolicy",
            Right with { CreateServerOptions = ListNeverApplied.CreateServerOptions },
            ("6:The_server_refuses_a_client_that_offers_only_CBC", 5)),
        new("6: static RSA suites added to the policy",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : PolicyAddsStaticRsa.CreateServerOptions(context) },
            ("6:CreateServerOptions_allows_exactly_the_list_over_TLS_1_2_and_1_3", 5),
            ("6:The_server_refuses_each_suite_outside_the_profile_offered_alone(Rsa2048)", 5)),
        new("6: RSA CBC suites added to the policy",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : PolicyAddsRsaCbc.CreateServerOptions(context) },
            ("6:CreateServerOptions_allows_exactly_the_list_over_TLS_1_2_and_1_3", 5),
            ("6:The_server_refuses_each_suite_outside_the_profile_offered_alone(Rsa2048)", 5)),
        new("6: every GCM or ChaCha20 suite by name",
            Right with { MozillaIntermediate = () => EveryGcmSuiteByName.MozillaIntermediate },
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 2)),
        new("6: all five TLS 1.3 suites",
            new CiphersApi(() => AllFiveTls13Suites.MozillaIntermediate,
                context => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : AllFiveTls13Suites.CreateServerOptions(context)),
            ("6:MozillaIntermediate_is_the_profile_and_nothing_else", 3),
            ("6:The_server_refuses_each_suite_outside_the_profile_offered_alone(EcdsaP256)", 3)),
        new("6: TLS 1.0 and 1.1 re-enabled",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : ReEnablesOldProtocols.CreateServerOptions(context) },
            ("6:CreateServerOptions_allows_exactly_the_list_over_TLS_1_2_and_1_3", 5)),
        new("6: the versions left to the operating system",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : ProtocolsLeftToTheOs.CreateServerOptions(context) },
            ("6:CreateServerOptions_allows_exactly_the_list_over_TLS_1_2_and_1_3", 5)),
        new("6: TLS 1.3 only",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : Tls13Only.CreateServerOptions(context) },
            ("6:CreateServerOptions_allows_exactly_the_list_over_TLS_1_2_and_1_3", 5),
            ("6:The_server_negotiates_an_AEAD_suite(Rsa2048, Tls12)", 5)),
        new("6: a client certificate required, copied from exercise 7",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : AsksForClientCertificates.CreateServerOptions(context) },
            ("6:The_server_negotiates_an_AEAD_suite(EcdsaP256, Tls13)", 5)),
        new("6: the leaf served instead of the context",
            Right with { CreateServerOptions = context
                => OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException() : ServesTheLeafNotTheContext.CreateServerOptions(context) },
            ("6:The_server_negotiates_an_AEAD_suite(EcdsaP256, Tls13)", 5)),
    ];
}
