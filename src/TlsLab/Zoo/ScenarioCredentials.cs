using System.Net;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>
/// What each scenario's server presents, minted from the workshop PKI. The graders quote
/// <see cref="WrongHostName"/>; they see it through InternalsVisibleTo.
/// </summary>
internal static class ScenarioCredentials
{
    /// <summary>The host name on the wrong-host scenario's certificate.</summary>
    public const string WrongHostName = "somewhere-else.localhost";

    /// <summary>The name on the wildcard scenario's certificate.</summary>
    internal const string WildcardName = "*.wildcard.localhost";

    /// <summary>The sni-multi scenario's second name, which has a certificate of its own.</summary>
    internal const string SniAlternativeName = "alt.sni-multi.localhost";

    /// <summary>
    /// Mints the certificate a scenario needs from the workshop PKI, dated by the PKI's clock:
    /// expired ended yesterday (and began 90 days ago), not-yet-valid begins in 30 days.
    /// </summary>
    internal static EndpointCredentials Create(Scenario scenario, WorkshopPki pki)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(pki);
        var now = pki.Time.GetUtcNow();
        var host = scenario.Host;
        var spec = new LeafSpec(host, [host], [], scenario.Key);

        switch (scenario.Certificate)
        {
            case ServerCertificateKind.Stapled:
                return new EndpointCredentials(pki.Intermediate.Issue(spec), [pki.Intermediate.PublicCertificate], stapleUpTo: pki.Root.PublicCertificate);
            case ServerCertificateKind.PerName:
                var alternative = new EndpointCredentials(pki.Intermediate.Issue(LeafSpec.ForServer(SniAlternativeName, scenario.Key)),
                    [pki.Intermediate.PublicCertificate]);
                return new EndpointCredentials(pki.Intermediate.Issue(spec), [pki.Intermediate.PublicCertificate],
                    byName: new Dictionary<string, EndpointCredentials>(StringComparer.OrdinalIgnoreCase) { [SniAlternativeName] = alternative });
        }

        (X509Certificate2 leaf, X509Certificate2[] sent) = scenario.Certificate switch
        {
            // The good endpoints also answer to localhost and the loopback addresses, so that a
            // browser, curl or a lesson about IP-address targets can use them without extra flags.
            ServerCertificateKind.Good when scenario.Name.StartsWith("good", StringComparison.Ordinal) =>
                (pki.Intermediate.Issue(spec with { DnsNames = [host, "localhost"], IpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback] }),
                 [pki.Intermediate.PublicCertificate]),
            ServerCertificateKind.Good =>
                (pki.Intermediate.Issue(spec), [pki.Intermediate.PublicCertificate]),
            ServerCertificateKind.Expired =>
                (pki.Intermediate.Issue(spec with { NotBefore = now.AddDays(-90), NotAfter = now.AddDays(-1) }),
                 [pki.Intermediate.PublicCertificate]),
            ServerCertificateKind.NotYetValid =>
                (pki.Intermediate.Issue(spec with { NotBefore = now.AddDays(30), NotAfter = now.AddDays(120) }),
                 [pki.Intermediate.PublicCertificate]),
            ServerCertificateKind.WrongHost =>
                (pki.Intermediate.Issue(spec with { CommonName = WrongHostName, DnsNames = [WrongHostName] }),
                 [pki.Intermediate.PublicCertificate]),
            ServerCertificateKind.SelfSigned =>
                (CertificateAuthority.CreateSelfSigned(spec, pki.Time), Array.Empty<X509Certificate2>()),
            // A .NET server never sends the root of its chain (SslStreamCertificateContext trims it,
            // as servers should), so the stranger root stays unknown to the client, as in the wild.
            ServerCertificateKind.UntrustedRoot =>
                (pki.StrangerIntermediate.Issue(spec), [pki.StrangerIntermediate.PublicCertificate]),
            ServerCertificateKind.IncompleteChain =>
                (pki.UnsentIntermediate.Issue(spec), Array.Empty<X509Certificate2>()),
            ServerCertificateKind.Revoked => (Revoked(pki.Intermediate, spec), [pki.Intermediate.PublicCertificate]),
            // The name in the CN only: what every certificate looked like before RFC 2818 said to use the SAN (and CAs stopped).
            ServerCertificateKind.CnOnly => (pki.Intermediate.Issue(spec with { DnsNames = [] }), [pki.Intermediate.PublicCertificate]),
            ServerCertificateKind.Wildcard =>
                (pki.Intermediate.Issue(spec with { CommonName = WildcardName, DnsNames = [WildcardName] }), [pki.Intermediate.PublicCertificate]),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario.Certificate, "Unknown certificate kind."),
        };

        return new EndpointCredentials(leaf, sent);
    }

    // A certificate that was fine when it was issued, and then the issuer said "no longer": the key leaked, say.
    private static X509Certificate2 Revoked(CertificateAuthority issuer, LeafSpec spec)
    {
        var leaf = issuer.Issue(spec);
        issuer.Revoke(leaf);
        return leaf;
    }
}
