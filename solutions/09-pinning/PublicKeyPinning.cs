using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 9: public-key pinning, as an extra check on top of normal validation.</summary>
public static class PublicKeyPinning
{
    /// <summary>The pin of <paramref name="certificate"/>'s key: the SHA-256 hash of its SubjectPublicKeyInfo, in base64.</summary>
    public static string PinOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        // SubjectPublicKeyInfo is the key with its algorithm (and curve), DER-encoded: what HPKP, curl's --pinnedpubkey
        // and OkHttp hash. It stays the same when the certificate is renewed with the same key; the thumbprint (a hash of
        // the whole certificate) changes with every renewal.
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Client options that validate the certificate for <paramref name="targetHost"/> against <paramref name="trustedRoot"/> alone and
    /// then also require a key in the validated chain to match one of <paramref name="pins"/> (a primary and its backups).</summary>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        ArgumentNullException.ThrowIfNull(trustedRoot);
        ArgumentNullException.ThrowIfNull(pins);
        var pinned = pins.ToHashSet(StringComparer.Ordinal);

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
            RemoteCertificateValidationCallback = (_, _, chain, errors) =>
            {
                // .NET's verdict first: a pin is an added check, never a way around a failed one. An expired or misnamed
                // certificate with a pinned key is still expired or misnamed.
                if (errors != SslPolicyErrors.None || chain is null)
                {
                    return false;
                }

                // Any key in the validated chain may match: pinning the intermediate's key survives re-keying the leaf.
                return chain.ChainElements.Any(element => pinned.Contains(PinOf(element.Certificate)));
            },
        };
    }
}
