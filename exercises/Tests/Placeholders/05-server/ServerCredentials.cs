using System.Net.Security;

namespace TlsLab.Exercises;

/// <summary>Exercise 5, part 1: what a server needs to prove who it is, loaded from PEM files. Task: README.md in this folder.</summary>
public static class ServerCredentials
{
    /// <summary>
    /// Loads the server certificate with its private key, plus the intermediate certificates that
    /// follow it in <paramref name="certificateChainPemPath"/>, into a context an SslStream can serve.
    /// </summary>
    /// <param name="certificateChainPemPath">PEM file: the server's certificate first, then its intermediates (nearest first).</param>
    /// <param name="keyPemPath">PEM file with the server's private key (PKCS#8, unencrypted).</param>
    public static SslStreamCertificateContext Load(string certificateChainPemPath, string keyPemPath)
    {
        // TODO: the certificate with its key, the intermediates after it, one SslStreamCertificateContext.
        throw new NotImplementedException("Exercise 5, ServerCredentials.Load: see notebooks/05-server.ipynb and exercises/05-server/HINTS.md");
    }
}
