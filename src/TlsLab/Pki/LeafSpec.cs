using System.Net;

namespace TlsLab.Pki;

/// <summary>Everything that varies between the end-entity certificates the lab mints.</summary>
/// <param name="CommonName">The subject CN. Clients ignore it for name checks (they use the SAN), but people read it.</param>
/// <param name="DnsNames">DNS names for the subject alternative name extension.</param>
/// <param name="IpAddresses">IP addresses for the subject alternative name extension.</param>
/// <param name="Key">The key algorithm.</param>
/// <param name="NotBefore">Start of validity; <c>null</c> means one hour before the issuing CA's "now" (tolerates small clock skew).</param>
/// <param name="NotAfter">End of validity; <c>null</c> means 30 days after the issuing CA's "now".</param>
public sealed record LeafSpec(
    string CommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses,
    KeyKind Key = KeyKind.EcdsaP256,
    DateTimeOffset? NotBefore = null,
    DateTimeOffset? NotAfter = null)
{
    /// <summary>Server or client certificate (the extended key usage); a server certificate unless made by <see cref="ForClient"/>.</summary>
    internal CertificateUsage Usage { get; init; } = CertificateUsage.Server;

    /// <summary>A server certificate for one DNS name.</summary>
    public static LeafSpec ForServer(string dnsName, KeyKind key = KeyKind.EcdsaP256) =>
        new(dnsName, [dnsName], [], key);

    /// <summary>A client certificate for mutual TLS.</summary>
    public static LeafSpec ForClient(string commonName, KeyKind key = KeyKind.EcdsaP256) =>
        new(commonName, [], [], key) { Usage = CertificateUsage.Client };
}
