using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Pki;

/// <summary>Turns a freshly minted certificate into something every platform's TLS stack can serve.</summary>
public static class ServerCertificates
{
    /// <summary>
    /// On Windows, SChannel cannot use a key that exists only in memory ("No credentials are
    /// available in the security package"), so the certificate is round-tripped through PFX to
    /// give the key a home. Elsewhere the certificate is returned as it is.
    /// </summary>
    public static X509Certificate2 Prepare(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var pfx = certificate.Export(X509ContentType.Pkcs12, password);
        return X509CertificateLoader.LoadPkcs12(pfx, password, X509KeyStorageFlags.Exportable);
    }

    /// <summary>
    /// The certificate context a server hands to <see cref="SslStream"/>: the leaf plus the
    /// intermediates to send. Built once and reused, because building it means building a chain.
    /// </summary>
    public static SslStreamCertificateContext CreateContext(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates) =>
        CreateContext(leaf, intermediates, stapleUpTo: null);

    /// <summary>
    /// As <see cref="CreateContext(X509Certificate2, IEnumerable{X509Certificate2})"/>; with <paramref name="stapleUpTo"/> (the chain's root),
    /// .NET on Linux asks the OCSP responder named in the leaf's AIA for its status and staples the answer to each handshake. It does so only
    /// when its chain reaches a root, which is why the root is given (it is still not sent: a context trims the root).
    /// </summary>
    internal static SslStreamCertificateContext CreateContext(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates,
        X509Certificate2? stapleUpTo)
    {
        var extra = new X509Certificate2Collection();
        foreach (var intermediate in intermediates)
        {
            extra.Add(X509CertificateLoader.LoadCertificate(intermediate.RawData));
        }

        if (stapleUpTo is not null)
        {
            extra.Add(X509CertificateLoader.LoadCertificate(stapleUpTo.RawData));
        }

        // offline: the lab fetches nothing from anywhere; it sends exactly the certificates it was given. Not offline: the
        // one fetch is the leaf's OCSP status, from the lab's own responder (the chain is complete, so no issuer is downloaded).
        return SslStreamCertificateContext.Create(Prepare(leaf), extra, offline: stapleUpTo is null);
    }
}
