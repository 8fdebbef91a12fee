using System.Net.Security;
using System.Security.Authentication;

namespace TlsLab.Grading.WrongAnswers;

// THE WRONG WAY, kept on purpose: answers to exercise 3 that the grading tests must reject.

/// <summary>WRONG: "for compatibility", TLS 1.0 and 1.1 switched back on.</summary>
public static class ReenablesTls10And11
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
#pragma warning disable SYSLIB0039 // the obsolete versions are exactly what this wrong answer enables
        options.EnabledSslProtocols = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13;
#pragma warning restore SYSLIB0039
        return options;
    }
}

/// <summary>WRONG: leaves the choice to the OS; on Debian's OpenSSL that still offers TLS 1.0 and 1.1.</summary>
public static class LeavesItToTheOs
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols = SslProtocols.None;
        return options;
    }
}

/// <summary>WRONG: returns brand-new options, losing the caller's TargetHost and trust.</summary>
public static class FreshOptions
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options) =>
        new() { EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 };
}

/// <summary>WRONG: "TLS 1.3 only" that still offers TLS 1.2.</summary>
public static class Tls13OnlyThatAllows12
{
    public static SslClientAuthenticationOptions OnlyTls13(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        return options;
    }
}

/// <summary>WRONG: adds TLS 1.2 and 1.3 to whatever the caller had (|=), so a caller's TLS 1.1 stays on.</summary>
public static class AddsToTheCallersVersions
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols |= SslProtocols.Tls12 | SslProtocols.Tls13;
        return options;
    }
}

/// <summary>WRONG: "removes the old versions" from the caller's set; from the default (None) that leaves None, the OS's choice.</summary>
public static class RemovesOnlyTheOldOnes
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
#pragma warning disable SYSLIB0039 // the obsolete versions are named to be removed, which is the mistake's disguise
        options.EnabledSslProtocols &= ~(SslProtocols.Tls | SslProtocols.Tls11);
#pragma warning restore SYSLIB0039
        return options;
    }
}

/// <summary>WRONG: "at least 1.2" read as "1.2": TLS 1.3 is lost, and with it the tls13-only server.</summary>
public static class Tls12Alone
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols = SslProtocols.Tls12;
        return options;
    }
}

/// <summary>WRONG: a "clean copy" of the options that carries over TargetHost and trust only: the caller's callback, client certificate and ALPN are
/// gone.</summary>
public static class CopiesSomeSettings
{
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options) => new()
    {
        TargetHost = options.TargetHost,
        CertificateChainPolicy = options.CertificateChainPolicy,
        CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    };
}

/// <summary>WRONG: "TLS 1.3 only" as |= Tls13: from AtLeastTls12's options, TLS 1.2 is still offered.</summary>
public static class AddsTls13
{
    public static SslClientAuthenticationOptions OnlyTls13(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols |= SslProtocols.Tls13;
        return options;
    }
}

/// <summary>WRONG: offers TLS 1.2 and then refuses a TLS 1.2 session in a callback: the downgrade is negotiated first, and the caller's callback is
/// replaced.</summary>
public static class RefusesTls12InACallback
{
    public static SslClientAuthenticationOptions OnlyTls13(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        options.RemoteCertificateValidationCallback = (sender, _, _, errors) =>
            errors == SslPolicyErrors.None && sender is SslStream { SslProtocol: SslProtocols.Tls13 };
        return options;
    }
}

/// <summary>Exercise 3's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise03Cases
{
    private static readonly ProtocolFloorApi Right = ProtocolFloorApi.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("3: TLS 1.0 and 1.1 re-enabled",
            Right with { AtLeastTls12 = ReenablesTls10And11.AtLeastTls12 },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: protocols left to the operating system",
            Right with { AtLeastTls12 = LeavesItToTheOs.AtLeastTls12 },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: fresh options that drop TargetHost and trust",
            Right with { AtLeastTls12 = FreshOptions.AtLeastTls12 },
            ("3:AtLeastTls12_keeps_TargetHost_and_trust", 3),
            ("3:AtLeastTls12_still_reaches(good)", 3)),
        new("3: 'TLS 1.3 only' that still offers TLS 1.2",
            Right with { OnlyTls13 = Tls13OnlyThatAllows12.OnlyTls13 },
            ("3:OnlyTls13_offers_TLS_1_3_alone", 4),
            ("3:OnlyTls13_is_refused_by_tls12_only_and_reaches_tls13_only(tls12-only)", 4)),
        new("3: TLS 1.2 and 1.3 added to the caller's TLS 1.1 (|=)",
            Right with { AtLeastTls12 = AddsToTheCallersVersions.AtLeastTls12 },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: the old versions removed from the default, leaving None",
            Right with { AtLeastTls12 = RemovesOnlyTheOldOnes.AtLeastTls12 },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: 'at least TLS 1.2' as TLS 1.2 alone",
            Right with { AtLeastTls12 = Tls12Alone.AtLeastTls12 },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2),
            ("3:AtLeastTls12_still_reaches(tls13-only)", 2)),
        new("3: a copy that keeps only TargetHost and trust",
            Right with { AtLeastTls12 = CopiesSomeSettings.AtLeastTls12 },
            ("3:Changes_only_the_protocols_and_keeps_every_other_setting(AtLeastTls12)", 3)),
        new("3: 'TLS 1.3 only' as |= Tls13",
            Right with { OnlyTls13 = AddsTls13.OnlyTls13 },
            ("3:OnlyTls13_offers_TLS_1_3_alone", 4)),
        new("3: TLS 1.2 offered, then refused in a callback",
            Right with { OnlyTls13 = RefusesTls12InACallback.OnlyTls13 },
            ("3:OnlyTls13_offers_TLS_1_3_alone", 4),
            ("3:OnlyTls13_is_refused_by_tls12_only_and_reaches_tls13_only(tls12-only)", 4),
            ("3:Changes_only_the_protocols_and_keeps_every_other_setting(OnlyTls13)", 3)),
    ];
}
