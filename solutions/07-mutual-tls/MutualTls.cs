using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 7: mutual TLS, both halves.</summary>
public static class MutualTls
{
    /// <summary>Server options that present <paramref name="serverCertificate"/> and require every client to present a certificate, for client
    /// use, that chains to <paramref name="clientCa"/>.</summary>
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext serverCertificate, X509Certificate2 clientCa)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(clientCa);

        // The client's chain is judged as exercise 2 judged the server's: one trusted root, the machine's store ignored.
        // Trusting the system store here would let in anyone with a certificate from any public CA.
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(clientCa);

        // No ApplicationPolicy needed: a .NET server requires the clientAuth extended key usage by itself, so a server
        // certificate presented as a client's is refused (NotValidForUsage).
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate,

            // "Required" is a request: the server sends CertificateRequest, and with no callback .NET refuses a client
            // that sends no certificate (RemoteCertificateNotAvailable) or one that does not validate. A callback that
            // returned true for a null certificate would turn "required" back into "optional".
            ClientCertificateRequired = true,
            CertificateChainPolicy = policy,

            // The resumption trap: a client that comes back resumes its earlier TLS session instead of sending its
            // certificate chain again, and the server then judges the leaf alone, without the intermediate the client
            // sent the first time (PartialChain: the second connection of a good client fails). Every connection of a
            // mutual-TLS server should prove who it is anyway: no resumption.
            AllowTlsResume = false,
        };
    }

    /// <summary>Client options that validate the server for <paramref name="targetHost"/> against <paramref name="trustedRoot"/> alone, and present
    /// <paramref name="clientCertificate"/> (with its intermediates) when the server asks.</summary>
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, X509Certificate2 trustedRoot,
        SslStreamCertificateContext clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(trustedRoot);
        ArgumentNullException.ThrowIfNull(clientCertificate);

        // Presenting a certificate changes nothing about checking the server's.
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(trustedRoot);

        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy,

            // A context carries the certificate, its key and its intermediates; .NET sends all of them. ClientCertificates
            // with the leaf alone sends the leaf alone, and a server that knows only the root cannot build the chain.
            ClientCertificateContext = clientCertificate,
        };
    }
}
