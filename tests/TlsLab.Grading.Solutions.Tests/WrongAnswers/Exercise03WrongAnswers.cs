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

/// <summary>Exercise 3's known wrong answers, with the tasks (and hints) that must catch each one.</summary>
internal static class Exercise03Cases
{
    private static readonly Implementations Right = Attendee.Compiled;

    public static WrongAnswer[] All { get; } =
    [
        new("3: TLS 1.0 and 1.1 re-enabled",
            Right with { ProtocolFloor = Right.ProtocolFloor with { AtLeastTls12 = ReenablesTls10And11.AtLeastTls12 } },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: protocols left to the operating system",
            Right with { ProtocolFloor = Right.ProtocolFloor with { AtLeastTls12 = LeavesItToTheOs.AtLeastTls12 } },
            ("3:AtLeastTls12_offers_TLS_1_3_and_1_2_and_nothing_older", 2)),
        new("3: fresh options that drop TargetHost and trust",
            Right with { ProtocolFloor = Right.ProtocolFloor with { AtLeastTls12 = FreshOptions.AtLeastTls12 } },
            ("3:AtLeastTls12_keeps_TargetHost_and_trust", 3),
            ("3:AtLeastTls12_still_reaches(good)", 3)),
        new("3: 'TLS 1.3 only' that still offers TLS 1.2",
            Right with { ProtocolFloor = Right.ProtocolFloor with { OnlyTls13 = Tls13OnlyThatAllows12.OnlyTls13 } },
            ("3:OnlyTls13_offers_TLS_1_3_alone", 4),
            ("3:OnlyTls13_is_refused_by_tls12_only_and_reaches_tls13_only(tls12-only)", 4)),
    ];
}
