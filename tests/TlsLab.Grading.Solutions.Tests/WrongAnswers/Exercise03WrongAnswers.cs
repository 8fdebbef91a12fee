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
