using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 9: public-key pinning, as an extra check on top of normal validation. Task: README.md in this folder.</summary>
public static class PublicKeyPinning
{
    /// <summary>The pin of <paramref name="certificate"/>'s key: the SHA-256 hash of its SubjectPublicKeyInfo, in base64.</summary>
    public static string PinOf(X509Certificate2 certificate)
    {
        // TODO: hash the public key's SubjectPublicKeyInfo (not the whole certificate).
        throw new NotImplementedException("Exercise 9, PinOf: see notebooks/09-sni-alpn-pinning.ipynb and exercises/09-pinning/HINTS.md");
    }

    /// <summary>Client options that validate the certificate for <paramref name="targetHost"/> against <paramref name="trustedRoot"/> alone and
    /// then also require a key in the validated chain to match one of <paramref name="pins"/> (a primary and its backups).</summary>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot, IReadOnlyCollection<string> pins)
    {
        // TODO: exercise 2's options, and a validation callback that starts from .NET's verdict and adds the pin check.
        throw new NotImplementedException("Exercise 9, CreateOptions: see notebooks/09-sni-alpn-pinning.ipynb and exercises/09-pinning/HINTS.md");
    }
}
