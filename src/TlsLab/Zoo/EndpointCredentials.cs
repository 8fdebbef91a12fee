using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Zoo;

/// <summary>The certificate an endpoint presents and the chain it sends with it.</summary>
internal sealed class EndpointCredentials : IDisposable
{
    public EndpointCredentials(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sentIntermediates)
    {
        Leaf = leaf;
        SentIntermediates = sentIntermediates;
        Context = ServerCertificates.CreateContext(leaf, sentIntermediates);
    }

    /// <summary>The server certificate, with its private key; owned (and disposed) by these credentials.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The CA certificates sent after the leaf, nearest first; owned by the PKI that minted them.</summary>
    public IReadOnlyList<X509Certificate2> SentIntermediates { get; }

    /// <summary>What <see cref="SslStream"/> serves; built once per endpoint.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>Disposes the leaf; the intermediates belong to the PKI and outlive the endpoint.</summary>
    public void Dispose() => Leaf.Dispose();
}
