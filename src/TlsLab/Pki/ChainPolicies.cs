using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Pki;

/// <summary>Chain-building policies the lessons use.</summary>
public static class ChainPolicies
{
    /// <summary>
    /// Trust exactly the given root(s) and ignore the machine's trust store; this is what a
    /// client of a private PKI should do, instead of switching validation off. Revocation is
    /// checked online, .NET's default: the lab publishes a CRL and an OCSP responder for every
    /// certificate it mints, on loopback.
    /// </summary>
    public static X509ChainPolicy TrustOnly(params X509Certificate2[] roots)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.Online,
            // Never fetch missing intermediates (AIA): a server must send them (the incomplete-chain scenario).
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }
}
