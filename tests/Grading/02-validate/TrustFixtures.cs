using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 2's extra endpoints, beyond the lab's zoo: certificates a client that trusts exactly the
/// lab root, for server use, must refuse although they look right, and a good certificate for the
/// split-records server. Minted once per lab (a handful of ECDSA keys, a few milliseconds) and served
/// by a <see cref="RecordingHttpServer"/> per check.
/// </summary>
public sealed class TrustFixtures
{
    private static readonly ConditionalWeakTable<Lab, TrustFixtures> PerLab = new();

    private TrustFixtures(Lab lab)
    {
        var pki = lab.Pki;

        // Same names as the lab's root and intermediate, other keys: what an attacker mints in a minute.
        using var impostorRoot = CertificateAuthority.CreateRoot(CommonName(pki.Root.Certificate));
        using var impostorIntermediate = impostorRoot.CreateIntermediate(CommonName(pki.Intermediate.Certificate));
        const string impostor = "impostor-root.localhost";
        var impostorLeaf = impostorIntermediate.Issue(LeafSpec.ForServer(impostor));

        const string client = "client-certificate.localhost";
        var clientOnly = pki.Intermediate.Issue(new LeafSpec(client, [client], []) { Usage = CertificateUsage.Client });

        const string byLeaf = "signed-by-a-leaf.localhost";
        var signer = pki.Intermediate.Issue(LeafSpec.ForServer("signer.localhost"));
        var underLeaf = IssueWithLeaf(signer, byLeaf);

        All =
        [
            new("impostor-root", impostor,
                "a chain to a root with the lab root's name but another key (and an intermediate with the lab intermediate's name)",
                ServerCertificates.CreateContext(impostorLeaf, [impostorIntermediate.PublicCertificate])),
            new("client-certificate", client,
                "a certificate from the lab's intermediate that is for client authentication only (EKU clientAuth), not for a server",
                ServerCertificates.CreateContext(clientOnly, [pki.Intermediate.PublicCertificate])),
            new("signed-by-a-leaf", byLeaf,
                "a certificate signed by another server's certificate, which is not a CA (basic constraints CA:FALSE)",
                ServerCertificates.CreateContext(underLeaf, [X509CertificateLoader.LoadCertificate(signer.RawData), pki.Intermediate.PublicCertificate])),
        ];

        Records = ServerCertificates.CreateContext(pki.Intermediate.Issue(LeafSpec.ForServer(RecordsHost)), [pki.Intermediate.PublicCertificate]);
    }

    /// <summary>The name on the split-records server's certificate.</summary>
    public const string RecordsHost = "records.localhost";

    /// <summary>The certificates a careful client refuses.</summary>
    public IReadOnlyList<TrustFixture> All { get; }

    /// <summary>A good certificate (lab root, intermediate sent) for <see cref="RecordsHost"/>.</summary>
    public SslStreamCertificateContext Records { get; }

    /// <summary>The names of <see cref="All"/>, for theory data.</summary>
    public static IReadOnlyList<string> Names { get; } = ["impostor-root", "client-certificate", "signed-by-a-leaf"];

    /// <summary>The fixtures for <paramref name="lab"/>, minted on first use.</summary>
    public static TrustFixtures For(Lab lab) => PerLab.GetValue(lab, l => new TrustFixtures(l));

    /// <summary>One fixture by name.</summary>
    public TrustFixture this[string name] => All.Single(f => f.Name == name);

    private static string CommonName(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    // CertificateAuthority only signs with CA keys, rightly; a misissued certificate has to be made by hand.
    private static X509Certificate2 IssueWithLeaf(X509Certificate2 signer, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}, O=TlsLab Workshop", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer, includeKeyIdentifier: true,
            includeIssuerAndSerial: false));
        using var signingKey = signer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The signer has no ECDSA key.");
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(signer.SubjectName, X509SignatureGenerator.CreateForECDsa(signingKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        return issued.CopyWithPrivateKey(key);
    }
}

/// <summary>One of exercise 2's extra endpoints.</summary>
/// <param name="Name">E.g. <c>impostor-root</c>, the theory row.</param>
/// <param name="Host">The name on its certificate, which the client asks for.</param>
/// <param name="Teaches">What is wrong with the certificate, for messages.</param>
/// <param name="Certificate">What the server presents.</param>
public sealed record TrustFixture(string Name, string Host, string Teaches, SslStreamCertificateContext Certificate);
