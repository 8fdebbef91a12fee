using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Pki;

/// <summary>Where <see cref="PemExport.Write"/> put a certificate's files.</summary>
/// <param name="Certificate">The leaf certificate alone.</param>
/// <param name="Chain">Leaf first, then each intermediate: the order a server sends and a PEM bundle needs.</param>
/// <param name="Key">The private key (PKCS#8), readable by the owner only.</param>
public sealed record PemFiles(string Certificate, string Chain, string Key);

/// <summary>PEM text and files for certificates, chains and keys.</summary>
public static class PemExport
{
    /// <summary>One certificate as PEM.</summary>
    public static string Certificate(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>
    /// A bundle: the leaf first, then its intermediates from the one that signed the leaf upwards.
    /// Never the root: a client must already have it, so sending it proves nothing.
    /// </summary>
    public static string Chain(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates)
    {
        var text = new StringBuilder(Certificate(leaf));
        foreach (var intermediate in intermediates)
        {
            text.Append(Certificate(intermediate));
        }

        return text.ToString();
    }

    /// <summary>The private key as unencrypted PKCS#8 PEM.</summary>
    public static string PrivateKey(X509Certificate2 certificate)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"The certificate '{certificate.Subject}' has no ECDSA or RSA private key to export.", nameof(certificate));
        using (key)
        {
            return key.ExportPkcs8PrivateKeyPem() + "\n";
        }
    }

    /// <summary>
    /// Writes <c>NAME.crt.pem</c>, <c>NAME.chain.pem</c> and <c>NAME.key.pem</c> (owner-only) into <paramref name="directory"/>.
    /// </summary>
    public static PemFiles Write(string directory, string name, X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates)
    {
        Directory.CreateDirectory(directory);
        var files = new PemFiles(
            Path.Combine(directory, name + ".crt.pem"),
            Path.Combine(directory, name + ".chain.pem"),
            Path.Combine(directory, name + ".key.pem"));
        File.WriteAllText(files.Certificate, Certificate(leaf));
        File.WriteAllText(files.Chain, Chain(leaf, intermediates));
        OwnerOnlyFile.WriteAllText(files.Key, PrivateKey(leaf));
        return files;
    }
}
