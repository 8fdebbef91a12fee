using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 8: a client that asks whether the server's certificate was revoked, and refuses it when nobody can say.</summary>
public static class RevocationCheck
{
    /// <summary>Client options that validate the certificate for <paramref name="targetHost"/> against <paramref name="trustedRoot"/> alone, and
    /// check online, at the addresses each certificate names, that none in the chain is revoked.</summary>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        ArgumentNullException.ThrowIfNull(trustedRoot);

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,

            // Online: fetch the CRL (or ask the OCSP responder) at the address in each certificate. Offline would use only
            // what an earlier check left in the cache, and so miss a revocation published since; NoCheck never asks.
            RevocationMode = X509RevocationMode.Online,

            // The leaf and every intermediate; a root is trusted by being in the store, so nobody can revoke it.
            RevocationFlag = X509RevocationFlag.ExcludeRoot,

            // Hard fail: no Ignore...RevocationUnknown flag. When no answer comes, the chain reports RevocationStatusUnknown and
            // the handshake fails. An attacker holding a stolen key can usually block the answer too, so soft fail would
            // let the stolen certificate through exactly when it matters.
            VerificationFlags = X509VerificationFlags.NoFlag,
        };
        policy.CustomTrustStore.Add(trustedRoot);

        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy,
        };
    }
}
