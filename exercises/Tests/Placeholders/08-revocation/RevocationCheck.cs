using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 8: a client that asks whether the server's certificate was revoked, and refuses it when nobody can say. Task: README.md in
/// this folder.</summary>
public static class RevocationCheck
{
    /// <summary>Client options that validate the certificate for <paramref name="targetHost"/> against <paramref name="trustedRoot"/> alone, and
    /// check online, at the addresses each certificate names, that none in the chain is revoked.</summary>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot)
    {
        // TODO: exercise 2's options, with a revocation check that fails closed.
        throw new NotImplementedException("Exercise 8, CreateOptions: see notebooks/08-revocation.ipynb and exercises/08-revocation/HINTS.md");
    }
}
