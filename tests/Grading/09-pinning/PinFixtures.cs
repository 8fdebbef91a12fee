using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Grading;

/// <summary>
/// Exercise 9's certificates, minted once per lab: an ECDSA and an RSA leaf to pin, a leaf and its renewal (same key, new
/// certificate), and the pin of a key no server uses.
/// </summary>
public sealed class PinFixtures
{
    private static readonly ConditionalWeakTable<Lab, PinFixtures> PerLab = new();

    private PinFixtures(Lab lab)
    {
        var pki = lab.Pki;
        EcdsaLeaf = X509CertificateLoader.LoadCertificate(pki.IssueServerCertificate("pin-ecdsa.localhost").RawData);
        RsaLeaf = X509CertificateLoader.LoadCertificate(pki.IssueServerCertificate("pin-rsa.localhost", KeyKind.Rsa2048).RawData);
        var original = pki.IssueServerCertificate(RenewedHost);
        Original = X509CertificateLoader.LoadCertificate(original.RawData);
        var renewed = pki.Intermediate.Renew(original);
        Renewed = ServerCertificates.CreateContext(renewed, [pki.Intermediate.PublicCertificate]);
        RenewedThumbprint = renewed.Thumbprint;
        using var unused = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        UnusedPin = Convert.ToBase64String(SHA256.HashData(unused.ExportSubjectPublicKeyInfo()));
        IntermediatePin = Pin(pki.Intermediate.PublicCertificate);

        // OkHttp's CVE-2016-2402: a certificate that validates (another key, from the trusted CA), sent along with a certificate that
        // carries the pinned key. The copy poses as the root (the lab root's name and key identifier, the pinned public key, signed by
        // nobody who matters): the server's chain builder takes it as the top of the chain and sends it; a client's chain builder prefers
        // the real root it trusts. So the pinned key is in what was SENT, and not in the chain that was VALIDATED.
        var root = pki.Root.Certificate;
        var posing = new CertificateRequest(root.SubjectName, EcdsaLeaf.PublicKey, HashAlgorithmName.SHA256);
        posing.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        posing.CertificateExtensions.Add(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single());
        using var nobody = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var copy = posing.Create(new X500DistinguishedName("CN=Nobody, O=TlsLab grading"), X509SignatureGenerator.CreateForECDsa(nobody),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        SentNotValidated = SslStreamCertificateContext.Create(pki.Intermediate.Issue(LeafSpec.ForServer(SentHost)),
            [X509CertificateLoader.LoadCertificate(pki.Intermediate.PublicCertificate.RawData), copy], offline: true);
        SentPin = Pin(EcdsaLeaf);
    }

    /// <summary>The name on the certificate of <see cref="SentNotValidated"/>.</summary>
    public const string SentHost = "pinned-copy.localhost";

    /// <summary>
    /// A valid certificate for <see cref="SentHost"/> with a key nobody pinned, sent with an extra certificate that carries the key of
    /// <see cref="EcdsaLeaf"/> (<see cref="SentPin"/>) but is not part of the validated chain.
    /// </summary>
    public SslStreamCertificateContext SentNotValidated { get; }

    /// <summary>The pin that only the extra certificate of <see cref="SentNotValidated"/> matches.</summary>
    public string SentPin { get; }

    /// <summary>The name on the renewed certificate.</summary>
    public const string RenewedHost = "renewed.localhost";

    /// <summary>An ECDSA P-256 leaf (no key).</summary>
    public X509Certificate2 EcdsaLeaf { get; }

    /// <summary>An RSA 2048 leaf (no key).</summary>
    public X509Certificate2 RsaLeaf { get; }

    /// <summary>The certificate before renewal (no key): the pin is taken from it.</summary>
    public X509Certificate2 Original { get; }

    /// <summary>The renewal of <see cref="Original"/>: same key and names, new serial, dates and thumbprint; what the test server presents.</summary>
    public SslStreamCertificateContext Renewed { get; }

    /// <summary>The renewed certificate's thumbprint, for messages.</summary>
    public string RenewedThumbprint { get; }

    /// <summary>The pin of a key that no server in the tests uses.</summary>
    public string UnusedPin { get; }

    /// <summary>The pin of the lab intermediate's key.</summary>
    public string IntermediatePin { get; }

    /// <summary>The fixtures for <paramref name="lab"/>, minted on first use.</summary>
    public static PinFixtures For(Lab lab) => PerLab.GetValue(lab, l => new PinFixtures(l));

    /// <summary>The right pin, computed by the kit: base64(SHA-256(SubjectPublicKeyInfo)).</summary>
    public static string Pin(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>
    /// The leaf a lab endpoint presents, fetched by the kit's observing client: its callback copies the certificate and
    /// then refuses the connection. It looks; it never accepts anything.
    /// </summary>
    public static async Task<X509Certificate2> PresentedLeafAsync(LabEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        X509Certificate2? seen = null;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.EndPoint, cancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return false;
            },
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            // The observing client always refuses; what it saw is all it came for.
        }

        return seen ?? throw new InvalidOperationException($"'{endpoint.Name}' at {endpoint.EndPoint} presented no certificate.");
    }
}
