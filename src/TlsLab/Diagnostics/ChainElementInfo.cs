using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Diagnostics;

/// <summary>One certificate of a built chain, copied out of <see cref="X509Chain"/> (which is disposed after validation).</summary>
public sealed record ChainElementInfo(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool IsCertificateAuthority,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses,
    X509ChainStatusFlags Status,
    string Thumbprint)
{
    /// <summary>True when subject and issuer are the same name: a root, or a self-signed leaf.</summary>
    public bool IsSelfIssued => string.Equals(Subject, Issuer, StringComparison.Ordinal);

    /// <summary>Copies what a lesson needs out of a certificate.</summary>
    public static ChainElementInfo From(X509Certificate2 certificate, X509ChainStatusFlags status = X509ChainStatusFlags.NoError)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        var isCa = false;
        foreach (var extension in certificate.Extensions)
        {
            switch (extension)
            {
                case X509SubjectAlternativeNameExtension san:
                    dns.AddRange(san.EnumerateDnsNames());
                    ips.AddRange(san.EnumerateIPAddresses());
                    break;
                case X509BasicConstraintsExtension constraints:
                    isCa = constraints.CertificateAuthority;
                    break;
            }
        }

        return new ChainElementInfo(
            certificate.Subject,
            certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            isCa,
            dns,
            ips,
            status,
            certificate.Thumbprint);
    }

    /// <summary>The CN of the subject, or the whole subject when it has no CN.</summary>
    public string SubjectCommonName => CommonName(Subject);

    /// <summary>The CN of the issuer, or the whole issuer name when it has no CN.</summary>
    public string IssuerCommonName => CommonName(Issuer);

    private static string CommonName(string distinguishedName)
    {
        foreach (var part in distinguishedName.Split(", "))
        {
            if (part.StartsWith("CN=", StringComparison.Ordinal))
            {
                return part[3..];
            }
        }

        return distinguishedName;
    }
}
