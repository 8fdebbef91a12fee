using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 10: the handler behind an HttpClient that trusts one root, checks revocation and presents a client certificate when it
/// has one.</summary>
public static class SecureHandler
{
    /// <summary>A new handler that trusts <paramref name="trustedRoot"/> alone, checks online that no certificate of the server's chain is revoked
    /// (and refuses when nobody can say), and presents <paramref name="clientCertificate"/> to a server that asks for one, when it is given.</summary>
    public static SocketsHttpHandler Create(X509Certificate2 trustedRoot, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(trustedRoot);

        // Everything is made here, per call: a handler, its options and its policy belong to one caller, so two callers with
        // different roots never see each other's trust.
        var policy = new X509ChainPolicy
        {
            // Without CustomRootTrust the CustomTrustStore is ignored and the machine's roots decide: the given root would not be
            // trusted, and every root an administrator (or a company proxy) installed would be.
            TrustMode = X509ChainTrustMode.CustomRootTrust,

            // An intermediate the server left out is its mistake to fix, not something to fetch from an address the certificate names.
            DisableCertificateDownloads = true,

            // Exercise 8: ask online, for the leaf and every intermediate, and fail closed when no answer comes.
            RevocationMode = X509RevocationMode.Online,
            RevocationFlag = X509RevocationFlag.ExcludeRoot,
            VerificationFlags = X509VerificationFlags.NoFlag,
        };
        policy.CustomTrustStore.Add(trustedRoot);

        var ssl = new SslClientAuthenticationOptions
        {
            // No TargetHost: HttpClient sets it from each request's URI (or Host header), so the name checked is the name asked for.
            // No RemoteCertificateValidationCallback: the policy says everything, and a callback could only overrule it.
            CertificateChainPolicy = policy,
        };

        if (clientCertificate is not null)
        {
            // This certificate and no other: a selection callback over the user's store (what HttpClientHandler's
            // ClientCertificateOptions.Automatic does) would hand any certificate found there to any server that asks.
            // offline: true, because building the context must not fetch anything either.
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true);
        }

        return new SocketsHttpHandler
        {
            SslOptions = ssl,

            // A pooled connection is re-made now and then, so a renewed server certificate (or a revoked one) is seen again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
    }
}
