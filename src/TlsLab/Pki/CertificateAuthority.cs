using System.Collections.Concurrent;
using System.Numerics;
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

    // Serial numbers (hex) of what this CA issued, and when each revoked one was revoked: what its CRL and OCSP answers say.
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _issued = new(StringComparer.Ordinal);
    private long _crlNumber;

    private CertificateAuthority(X509Certificate2 certificate, TimeProvider time, RevocationAddresses? publishes)
    {
        Certificate = certificate;
        Time = time;
        Publishes = publishes;
        PublicCertificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>Where this CA publishes revocation (its CRL, its OCSP responder); null for a CA that publishes nothing.</summary>
    internal RevocationAddresses? Publishes { get; }

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
        TimeProvider? time = null) => CreateRoot(commonName, key, notBefore, notAfter, time, publishes: null);

    /// <summary>A root that publishes revocation at <paramref name="publishes"/> for what it issues.</summary>
    internal static CertificateAuthority CreateRoot(string commonName, KeyKind key, DateTimeOffset? notBefore, DateTimeOffset? notAfter,
        TimeProvider? time, RevocationAddresses? publishes)
    {
        time ??= TimeProvider.System;
        var now = time.GetUtcNow();
        using var keyPair = KeyFactory.Create(key);
        var request = KeyFactory.CreateRequest(Name(commonName), keyPair);
        AddCaExtensions(request, pathLength: null);
        var start = notBefore ?? now.AddDays(-400);
        var end = notAfter ?? now.AddDays(400);
        var certificate = request.CreateSelfSigned(start, end);
        return new CertificateAuthority(certificate, time, publishes);
    }

    /// <summary>Creates an intermediate CA signed by this one (365 days either side of now); it may only sign end-entity certificates.</summary>
    public CertificateAuthority CreateIntermediate(
        string commonName,
        KeyKind key = KeyKind.EcdsaP256,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null) => CreateIntermediate(commonName, key, notBefore, notAfter, publishes: null);

    /// <summary>An intermediate that publishes revocation at <paramref name="publishes"/> for what it issues.</summary>
    internal CertificateAuthority CreateIntermediate(string commonName, KeyKind key, DateTimeOffset? notBefore, DateTimeOffset? notAfter,
        RevocationAddresses? publishes)
    {
        var now = Time.GetUtcNow();
        using var keyPair = KeyFactory.Create(key);
        var request = KeyFactory.CreateRequest(Name(commonName), keyPair);
        AddCaExtensions(request, pathLength: 0);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        AddRevocationExtensions(request);
        var start = Clamp(notBefore ?? now.AddDays(-365));
        var end = ClampEnd(notAfter ?? now.AddDays(365));
        using var issued = Sign(request, start, end);
        return new CertificateAuthority(KeyFactory.WithKey(issued, keyPair), Time, publishes);
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
        AddRevocationExtensions(request);

        // An issuer cannot vouch for a time outside its own validity; clamp rather than fail,
        // except that an expired or future leaf is exactly what some scenarios want, so the
        // issuing CA is created with enough room for those on purpose.
        var now = Time.GetUtcNow();
        var start = Clamp(spec.NotBefore ?? now.AddHours(-1));
        var end = ClampEnd(spec.NotAfter ?? now.AddDays(30));
        using var issued = Sign(request, start, end);
        return KeyFactory.WithKey(issued, keyPair);
    }

    /// <summary>
    /// Renews a certificate this CA issued, as CAs usually do: the same subject, names, usage and key pair, with a
    /// new serial number and validity (from an hour ago for 30 days). Its thumbprint changes; the hash of its public
    /// key, what a pin names, does not.
    /// </summary>
    /// <exception cref="ArgumentException">This CA did not issue <paramref name="certificate"/>, or it carries no private key.</exception>
    public X509Certificate2 Renew(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!_issued.ContainsKey(certificate.SerialNumber))
        {
            throw new ArgumentException($"'{Subject}' did not issue '{certificate.Subject}' (serial {certificate.SerialNumber}), so it cannot renew it.",
                nameof(certificate));
        }

        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"'{certificate.Subject}' has no private key here: renewing keeps the key, so it needs it.", nameof(certificate));
        var request = new CertificateRequest(certificate.SubjectName, certificate.PublicKey, HashAlgorithmName.SHA256);
        foreach (var extension in certificate.Extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        var now = Time.GetUtcNow();
        using var issued = Sign(request, Clamp(now.AddHours(-1)), ClampEnd(now.AddDays(30)));
        return KeyFactory.WithKey(issued, key);
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

    /// <summary>Revokes a certificate this CA issued: from now on its CRL lists it and its OCSP responder answers "revoked".</summary>
    /// <exception cref="ArgumentException">This CA did not issue <paramref name="certificate"/>.</exception>
    internal void Revoke(X509Certificate2 certificate, DateTimeOffset? when = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!_issued.ContainsKey(certificate.SerialNumber))
        {
            throw new ArgumentException($"'{Subject}' did not issue '{certificate.Subject}' (serial {certificate.SerialNumber}).", nameof(certificate));
        }

        _issued[certificate.SerialNumber] = when ?? Time.GetUtcNow();
    }

    /// <summary>
    /// What this CA says about the certificate with serial number <paramref name="serialHex"/> (upper-case hex, as
    /// <see cref="X509Certificate2.SerialNumber"/> gives it): null when it never issued it, else when it was revoked, or
    /// <see cref="DateTimeOffset.MinValue"/> for "good".
    /// </summary>
    internal DateTimeOffset? StatusOf(string serialHex) =>
        _issued.TryGetValue(serialHex, out var revoked) ? revoked ?? DateTimeOffset.MinValue : null;

    /// <summary>A fresh CRL (DER), signed now, listing every certificate this CA has revoked; good for a week.</summary>
    internal byte[] BuildCrl()
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (serial, revoked) in _issued)
        {
            if (revoked is { } when)
            {
                builder.AddEntry(Convert.FromHexString(serial), when, X509RevocationReason.KeyCompromise);
            }
        }

        var now = Time.GetUtcNow();
        var padding = Certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? RSASignaturePadding.Pkcs1 : null;
        return builder.Build(Certificate, new BigInteger(Interlocked.Increment(ref _crlNumber)), now.AddDays(7), HashAlgorithmName.SHA256, padding,
            now.AddMinutes(-1));
    }

    /// <summary>Signs <paramref name="data"/> with this CA's key: the OCSP responder's signature. Returns the AlgorithmIdentifier OID too.</summary>
    internal (byte[] Signature, string AlgorithmOid, bool HasNullParameters) SignData(byte[] data)
    {
        if (Certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            using (ecdsa)
            {
                return (ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), "1.2.840.10045.4.3.2", false);
            }
        }

        using var key = Certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException($"The CA '{Subject}' has no key to sign with.");
        return (key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "1.2.840.113549.1.1.11", true);
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
        var signed = SignUntracked(request, notBefore, notAfter);
        _issued[signed.SerialNumber] = null;
        return signed;
    }

    private X509Certificate2 SignUntracked(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
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

    // Where a client asks whether what this CA signs is revoked. No caIssuers address: a client that fetched missing
    // intermediates from there would hide the incomplete-chain scenario's mistake, as browsers do.
    private void AddRevocationExtensions(CertificateRequest request)
    {
        if (Publishes is { } at)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([at.Crl.AbsoluteUri]));
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([at.Ocsp.AbsoluteUri], null));
        }
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
