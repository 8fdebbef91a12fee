using System.Net.Security;
using System.Security.Authentication;

namespace TlsLab.Exercises;

/// <summary>Exercise 3: a floor under the protocol versions a client offers.</summary>
public static class ProtocolFloor
{
    /// <summary>Makes <paramref name="options"/> offer TLS 1.2 and TLS 1.3 only, and returns the same object.</summary>
    public static SslClientAuthenticationOptions AtLeastTls12(SslClientAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The default (SslProtocols.None) means "whatever the operating system allows", and that
        // differs by machine: on the Linux image the kit is tested on, OpenSSL's default still
        // offers TLS 1.0 and 1.1 in the ClientHello. Naming the versions makes the floor explicit
        // and the same everywhere. TLS 1.0/1.1 are not here, and SslProtocols.Tls/Tls11 are
        // marked obsolete in .NET for exactly this reason.
        options.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

        // Change only the protocols: TargetHost, trust and everything else the caller set stay.
        return options;
    }

    /// <summary>Makes <paramref name="options"/> offer TLS 1.3 only, and returns the same object.</summary>
    public static SslClientAuthenticationOptions OnlyTls13(SslClientAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // TLS 1.3 alone: only AEAD cipher suites, always forward secrecy, an encrypted certificate.
        // The price: servers that stop at TLS 1.2 (the lab's tls12-only) can no longer be reached.
        options.EnabledSslProtocols = SslProtocols.Tls13;
        return options;
    }
}
