using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 7: mutual TLS, both halves: a server that lets in only clients with a certificate from one CA, and a client that presents
/// one. Task: README.md in this folder.</summary>
public static class MutualTls
{
    /// <summary>Server options that present <paramref name="serverCertificate"/> and require every client to present a certificate, for client
    /// use, that chains to <paramref name="clientCa"/>.</summary>
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        // TODO: the server's certificate, a request for the client's, and a chain policy whose only trusted root is clientCa.
        throw new NotImplementedException("Exercise 7, CreateServerOptions: see notebooks/07-mutual-tls.ipynb and exercises/07-mutual-tls/HINTS.md");
    }

    /// <summary>Client options that validate the server for <paramref name="targetHost"/> against <paramref name="trustedRoot"/> alone, and present
    /// <paramref name="clientCertificate"/> (with its intermediates) when the server asks.</summary>
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        // TODO: exercise 2's options, and the certificate to present.
        throw new NotImplementedException("Exercise 7, CreateClientOptions: see notebooks/07-mutual-tls.ipynb and exercises/07-mutual-tls/HINTS.md");
    }
}
