using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Exercises;

/// <summary>Exercise 5, part 1: what a server needs to prove who it is, loaded from PEM files.</summary>
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
        // CreateFromPemFile reads the FIRST certificate of the file and pairs it with the key. It
        // checks that they belong together, so a mismatched key fails here, not at the first client.
        var leaf = X509Certificate2.CreateFromPemFile(certificateChainPemPath, keyPemPath);

        // Windows' TLS stack (SChannel) cannot use a key that lives only in memory ("No credentials
        // are available in the security package"). A round trip through PKCS#12 gives the key a home.
        // Linux and macOS serve the certificate as it is.
        if (OperatingSystem.IsWindows())
        {
            using var inMemory = leaf;
            leaf = X509CertificateLoader.LoadPkcs12(inMemory.Export(X509ContentType.Pkcs12), password: null);
        }

        // The same file holds the intermediates after the leaf. The talk's load_cert_chain reads them
        // the same way ("1. key, 2. cert, 3. intermediates"). Skip the leaf itself.
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificateChainPemPath);
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint != leaf.Thumbprint)
            {
                intermediates.Add(certificate);
            }
        }

        // The context is what the server sends in every handshake: the leaf, then the intermediates.
        // Clients usually trust only a root; without the intermediate they cannot link the leaf to
        // it, and refuse (the lab's incomplete-chain scenario). offline: true means build the chain
        // from what we were given and never fetch anything from the network.
        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }
}
