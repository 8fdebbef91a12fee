using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsLab.Pki;

/// <summary>
/// A certificate authority that can mint intermediates and end-entity certificates with the
/// extensions strict verifiers insist on (basic constraints, key usage, EKU, SAN, SKI and AKI).
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private CertificateAuthority(X509Certificate2 certificate, TimeProvider time)
    {
        Certificate = certificate;
        Time = time;
        PublicCertificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>The CA's certificate, including its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The CA's certificate without its private key, safe to hand to anyone. The same instance on
    /// every read, owned by this CA and disposed with it: add it to stores and chains, do not dispose it.
    /// </summary>
    public X509Certificate2 PublicCertificate { get; }

    /// <summary>The subject name, e.g. <c>CN=TlsLab Workshop Root CA</c>.</summary>
    public string Subject => Certificate.Subject;

    /// <summary>The clock that "now" comes from when this CA (and every CA under it) mints.</summary>
    internal TimeProvider Time { get; }

    /// <summary>Creates a self-signed root CA, valid from 400 days before now to 400 days after.</summary>
    public static CertificateAuthority CreateRoot(
        string commonName,
        KeyKind key = KeyKind.EcdsaP256,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var now = time.GetUtcNow();
        using var keyPair = KeyFactory.Create(key);
        var request = KeyFactory.CreateRequest(Name(commonName), keyPair);
        AddCaExtensions(request, pathLength: null);
        var start = notBefore ?? now.AddDays(-400);
        var end = notAfter ?? now.AddDays(400);
        var certificate = request.CreateSelfSigned(start, end);
        return new CertificateAuthority(certificate, time);
    }

    /// <summary>Creates an intermediate CA signed by this one (365 days either side of now); it may only sign end-entity certificates.</summary>
    public CertificateAuthority CreateIntermediate(
        string commonName,
        KeyKind key = KeyKind.EcdsaP256,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        var now = Time.GetUtcNow();
        using var keyPair = KeyFactory.Create(key);
        var request = KeyFactory.CreateRequest(Name(commonName), keyPair);
        AddCaExtensions(request, pathLength: 0);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var start = Clamp(notBefore ?? now.AddDays(-365));
        var end = ClampEnd(notAfter ?? now.AddDays(365));
        using var issued = Sign(request, start, end);
        return new CertificateAuthority(KeyFactory.WithKey(issued, keyPair), Time);
    }

    /// <summary>Mints an end-entity certificate (with its private key) signed by this CA.</summary>
    public X509Certificate2 Issue(LeafSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var keyPair = KeyFactory.Create(spec.Key);
        var request = KeyFactory.CreateRequest(Name(spec.CommonName), keyPair);
        AddLeafExtensions(request, spec, keyPair);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        // An issuer cannot vouch for a time outside its own validity; clamp rather than fail,
        // except that an expired or future leaf is exactly what some scenarios want, so the
        // issuing CA is created with enough room for those on purpose.
        var now = Time.GetUtcNow();
        var start = Clamp(spec.NotBefore ?? now.AddHours(-1));
        var end = ClampEnd(spec.NotAfter ?? now.AddDays(30));
        using var issued = Sign(request, start, end);
        return KeyFactory.WithKey(issued, keyPair);
    }

    /// <summary>Mints a self-signed end-entity certificate: one that vouches for itself, as a careless server would use.</summary>
    public static X509Certificate2 CreateSelfSigned(LeafSpec spec, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var keyPair = KeyFactory.Create(spec.Key);
        var request = KeyFactory.CreateRequest(Name(spec.CommonName), keyPair);
        AddLeafExtensions(request, spec, keyPair);
        var start = spec.NotBefore ?? now.AddHours(-1);
        var end = spec.NotAfter ?? now.AddDays(30);
        return request.CreateSelfSigned(start, end);
    }

    /// <summary>Disposes the CA's certificate and <see cref="PublicCertificate"/>.</summary>
    public void Dispose()
    {
        PublicCertificate.Dispose();
        Certificate.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => Subject;

    // A signature generator for this CA's key, so an ECDSA CA can sign an RSA leaf and vice versa.
    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (Certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            using (ecdsa)
            {
                return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(ecdsa), notBefore, notAfter, KeyFactory.NewSerialNumber());
            }
        }

        using var rsa = Certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"The CA '{Subject}' has no ECDSA or RSA private key to sign with.");
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), notBefore, notAfter,
            KeyFactory.NewSerialNumber());
    }

    private static X500DistinguishedName Name(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName("TlsLab Workshop");
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    private static void AddCaExtensions(CertificateRequest request, int? pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: true, hasPathLengthConstraint: pathLength is not null, pathLengthConstraint: pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }

    private static void AddLeafExtensions(CertificateRequest request, LeafSpec spec, AsymmetricAlgorithm key)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));

        // RSA key exchange (TLS 1.2 static RSA suites) encrypts to the key; ECDSA keys only ever sign.
        var usage = X509KeyUsageFlags.DigitalSignature;
        if (key is RSA)
        {
            usage |= X509KeyUsageFlags.KeyEncipherment;
        }

        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [spec.Usage == CertificateUsage.Server ? ServerAuth : ClientAuth], critical: false));

        if (spec.DnsNames.Count > 0 || spec.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in spec.DnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (var ip in spec.IpAddresses)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build(critical: false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }

    private DateTimeOffset Clamp(DateTimeOffset notBefore) =>
        notBefore < Certificate.NotBefore.ToUniversalTime() ? new DateTimeOffset(Certificate.NotBefore.ToUniversalTime()) : notBefore;

    private DateTimeOffset ClampEnd(DateTimeOffset notAfter) =>
        notAfter > Certificate.NotAfter.ToUniversalTime() ? new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()) : notAfter;
}
