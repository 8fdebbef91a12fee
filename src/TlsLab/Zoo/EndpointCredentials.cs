using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>The certificate an endpoint presents and the chain it sends with it.</summary>
internal sealed class EndpointCredentials : IDisposable
{
    /// <param name="leaf">The server certificate, with its private key.</param>
    /// <param name="sentIntermediates">The CA certificates sent after the leaf, nearest first.</param>
    /// <param name="stapleUpTo">
    /// The chain's root, to let .NET fetch an OCSP response for the leaf from the address in its AIA (the lab's own responder) and
    /// staple it to every handshake; null (the lab's usual) to fetch nothing.
    /// </param>
    /// <param name="byName">For a server with a certificate per SNI name: the other names and their credentials (owned from here on).</param>
    public EndpointCredentials(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sentIntermediates, X509Certificate2? stapleUpTo = null,
        IReadOnlyDictionary<string, EndpointCredentials>? byName = null)
    {
        Leaf = leaf;
        SentIntermediates = sentIntermediates;
        Staples = stapleUpTo is not null;
        ByName = byName;
        Context = ServerCertificates.CreateContext(leaf, sentIntermediates, stapleUpTo);
    }

    /// <summary>The server certificate, with its private key; owned (and disposed) by these credentials.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The CA certificates sent after the leaf, nearest first; owned by the PKI that minted them.</summary>
    public IReadOnlyList<X509Certificate2> SentIntermediates { get; }

    /// <summary>What <see cref="SslStream"/> serves; built once per endpoint.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>True when the handshake carries a stapled OCSP response.</summary>
    public bool Staples { get; }

    /// <summary>
    /// For a server that picks its certificate by SNI: the credentials for each other name (exact, case-insensitive);
    /// these credentials are the default, for a hello without SNI or with a name not listed. Null for a server with one certificate.
    /// </summary>
    public IReadOnlyDictionary<string, EndpointCredentials>? ByName { get; }

    /// <summary>The DNS name the leaf is for (its first SAN entry), or its CN when it has no SAN.</summary>
    public string Name => Leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false);

    /// <summary>Disposes the leaf; the intermediates belong to the PKI and outlive the endpoint.</summary>
    public void Dispose()
    {
        foreach (var other in ByName?.Values ?? [])
        {
            other.Dispose();
        }

        Leaf.Dispose();
    }
}
