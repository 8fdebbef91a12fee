using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Pki;

/// <summary>
/// The workshop's throwaway PKI: a root CA and an intermediate CA, made fresh at run time, so no
/// private key ever lives in the repository. Learners trust <see cref="Root"/> and nothing else.
/// </summary>
public sealed class WorkshopPki : IDisposable
{
    private readonly Lazy<CertificateAuthority> _strangerRoot;
    private readonly Lazy<CertificateAuthority> _strangerIntermediate;
    private readonly Lazy<CertificateAuthority> _unsentIntermediate;

    /// <summary>Creates a new root and intermediate with fresh keys, dated by the system clock.</summary>
    public WorkshopPki(KeyKind caKey = KeyKind.EcdsaP256)
        : this(TimeProvider.System, caKey)
    {
    }

    /// <summary>
    /// Creates a new root and intermediate with fresh keys, dated by <paramref name="time"/>: every
    /// certificate this PKI mints takes "now" from it, so a test can mint at a fixed moment.
    /// </summary>
    public WorkshopPki(TimeProvider time, KeyKind caKey = KeyKind.EcdsaP256)
        : this(time, caKey, revocationBase: null)
    {
    }

    /// <summary>
    /// A PKI whose every CA publishes a CRL and an OCSP responder under <paramref name="revocationBase"/> (which ends
    /// with a slash; the lab serves it), so that every certificate it mints can be checked for revocation.
    /// </summary>
    internal WorkshopPki(TimeProvider time, KeyKind caKey, Uri? revocationBase)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        RevocationBase = revocationBase;
        RevocationAddresses? At(string slug) => revocationBase is null ? null : RevocationAddresses.Under(revocationBase, slug);
        Root = CertificateAuthority.CreateRoot("TlsLab Workshop Root CA", caKey, null, null, time, At(RootSlug));
        Intermediate = Root.CreateIntermediate("TlsLab Workshop Intermediate CA", caKey, null, null, At(IntermediateSlug));
        _strangerRoot = new(() => CertificateAuthority.CreateRoot("Stranger Root CA (not trusted by the workshop)", caKey, null, null, time,
            At(StrangerRootSlug)));
        _strangerIntermediate = new(() => StrangerRoot.CreateIntermediate("Stranger Intermediate CA", caKey, null, null, At(StrangerIntermediateSlug)));

        // The incomplete-chain scenario needs an intermediate that no client has ever seen: Windows
        // caches intermediates it met in earlier handshakes and would silently complete the chain.
        _unsentIntermediate = new(() => Root.CreateIntermediate("TlsLab Workshop Intermediate CA (never sent)", caKey, null, null,
            At(UnsentIntermediateSlug)));
    }

    private const string RootSlug = "root";
    private const string IntermediateSlug = "intermediate";
    private const string StrangerRootSlug = "stranger-root";
    private const string StrangerIntermediateSlug = "stranger-intermediate";
    private const string UnsentIntermediateSlug = "unsent-intermediate";

    /// <summary>Where this PKI's CAs publish revocation (null: they publish nothing, and their certificates name no address).</summary>
    internal Uri? RevocationBase { get; }

    /// <summary>The CA whose revocation addresses use <paramref name="slug"/> (<c>root</c>, <c>intermediate</c>, ...), or null.</summary>
    internal CertificateAuthority? Authority(string slug) => slug switch
    {
        RootSlug => Root,
        IntermediateSlug => Intermediate,
        StrangerRootSlug => StrangerRoot,
        StrangerIntermediateSlug => StrangerIntermediate,
        UnsentIntermediateSlug => UnsentIntermediate,
        _ => null,
    };

    /// <summary>The clock every certificate of this PKI is dated by.</summary>
    internal TimeProvider Time { get; }

    /// <summary>The one root the workshop's clients trust.</summary>
    public CertificateAuthority Root { get; }

    /// <summary>The intermediate that signs the lab's good server and client certificates.</summary>
    public CertificateAuthority Intermediate { get; }

    /// <summary>A root that nobody trusts, for the untrusted-root scenario.</summary>
    public CertificateAuthority StrangerRoot => _strangerRoot.Value;

    /// <summary>An intermediate under <see cref="StrangerRoot"/>, which the untrusted-root scenario sends.</summary>
    public CertificateAuthority StrangerIntermediate => _strangerIntermediate.Value;

    /// <summary>An intermediate under the workshop root that servers never send, for the incomplete-chain scenario.</summary>
    public CertificateAuthority UnsentIntermediate => _unsentIntermediate.Value;

    /// <summary>
    /// The root certificate without its key, for trust stores and PEM files: <see cref="Root"/>'s
    /// <see cref="CertificateAuthority.PublicCertificate"/>, the same instance on every read, owned
    /// by this PKI and disposed with it (do not dispose it yourself).
    /// </summary>
    public X509Certificate2 RootCertificate => Root.PublicCertificate;

    /// <summary>
    /// Mints a server certificate signed by the intermediate. Send it together with
    /// <see cref="Intermediate"/>'s certificate so that clients trusting only the root can build the chain.
    /// </summary>
    public X509Certificate2 IssueServerCertificate(string dnsName, KeyKind key = KeyKind.EcdsaP256, params IPAddress[] ipAddresses) =>
        Intermediate.Issue(new LeafSpec(dnsName, [dnsName], ipAddresses, key));

    /// <summary>
    /// Mints a client certificate for mutual TLS, signed by the intermediate, ready to present on every platform
    /// (<see cref="ServerCertificates.Prepare"/>: Windows' TLS needs the key in a store it can open). Send it with
    /// <see cref="Intermediate"/>'s certificate, as a server sends its chain.
    /// </summary>
    public X509Certificate2 IssueClientCertificate(string commonName = "workshop attendee", KeyKind key = KeyKind.EcdsaP256)
    {
        var issued = Intermediate.Issue(LeafSpec.ForClient(commonName, key));
        var prepared = ServerCertificates.Prepare(issued);
        if (!ReferenceEquals(prepared, issued))
        {
            issued.Dispose();
        }

        return prepared;
    }

    /// <summary>Disposes every CA of this PKI, and so their <see cref="CertificateAuthority.PublicCertificate"/>s.</summary>
    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        if (_strangerRoot.IsValueCreated)
        {
            _strangerRoot.Value.Dispose();
        }

        if (_strangerIntermediate.IsValueCreated)
        {
            _strangerIntermediate.Value.Dispose();
        }

        if (_unsentIntermediate.IsValueCreated)
        {
            _unsentIntermediate.Value.Dispose();
        }
    }
}
