using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Pki;

/// <summary>Chain-building policies the lessons use.</summary>
public static class ChainPolicies
{
    /// <summary>
    /// Trust exactly the given root(s) and ignore the machine's trust store; this is what a
    /// client of a private PKI should do, instead of switching validation off.
    /// </summary>
    public static X509ChainPolicy TrustOnly(params X509Certificate2[] roots)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // The lab's certificates carry no CRL or OCSP addresses, and the workshop must work offline.
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }
}
