using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Tests.Pki;

/// <summary>The certificates carry the extensions strict verifiers (OpenSSL, Python's VERIFY_X509_STRICT) insist on.</summary>
public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly WorkshopPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void The_root_is_a_self_signed_CA_with_key_identifiers()
    {
        var root = _pki.Root.Certificate;
        Assert.Equal(root.Subject, root.Issuer);
        var constraints = Extension<X509BasicConstraintsExtension>(root);
        Assert.True(constraints.CertificateAuthority && constraints.Critical, "The root's basic constraints must say CA:TRUE and be critical.");
        Assert.True(Extension<X509KeyUsageExtension>(root).KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign), "The root must be allowed to sign " +
            "certificates (keyCertSign).");
        Assert.NotNull(Extension<X509SubjectKeyIdentifierExtension>(root).SubjectKeyIdentifier);
    }

    [Fact]
    public void The_intermediate_is_a_CA_that_may_only_sign_leaves_and_names_its_issuer_key()
    {
        var intermediate = _pki.Intermediate.Certificate;
        var constraints = Extension<X509BasicConstraintsExtension>(intermediate);
        Assert.True(constraints.CertificateAuthority, "The intermediate must be a CA.");
        Assert.True(constraints.HasPathLengthConstraint && constraints.PathLengthConstraint == 0, "The intermediate should have pathLen 0: it signs " +
            "leaves only.");
        AssertAuthorityKeyIs(_pki.Root.Certificate, intermediate);
    }

    [Fact]
    public void A_server_leaf_has_SAN_EKU_key_usage_and_both_key_identifiers()
    {
        using var leaf = _pki.Intermediate.Issue(new LeafSpec("svc.localhost", ["svc.localhost"], [IPAddress.Loopback]));
        Assert.False(Extension<X509BasicConstraintsExtension>(leaf).CertificateAuthority, "A leaf must not be a CA.");
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, Extension<X509KeyUsageExtension>(leaf).KeyUsages);
        Assert.Contains(Extension<X509EnhancedKeyUsageExtension>(leaf).EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        var san = Extension<X509SubjectAlternativeNameExtension>(leaf);
        Assert.Equal(["svc.localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
        AssertAuthorityKeyIs(_pki.Intermediate.Certificate, leaf);
        Assert.True(leaf.HasPrivateKey);
        Assert.NotNull(leaf.GetECDsaPublicKey());
    }

    [Fact]
    public void RSA_leaves_are_minted_on_request_and_may_encipher_keys()
    {
        using var leaf = _pki.IssueServerCertificate("rsa.localhost", KeyKind.Rsa2048);
        using var rsa = leaf.GetRSAPublicKey();
        Assert.NotNull(rsa);
        Assert.Equal(2048, rsa.KeySize);
        Assert.True(Extension<X509KeyUsageExtension>(leaf).KeyUsages.HasFlag(X509KeyUsageFlags.KeyEncipherment));
    }

    [Fact]
    public void A_client_certificate_is_for_client_authentication()
    {
        using var client = _pki.IssueClientCertificate("attendee");
        Assert.Contains(Extension<X509EnhancedKeyUsageExtension>(client).EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
    }

    [Fact]
    public void A_leaf_chains_to_the_root_under_a_policy_that_trusts_only_the_root()
    {
        using var leaf = _pki.IssueServerCertificate("chain.localhost");
        using var chain = new X509Chain { ChainPolicy = ChainPolicies.TrustOnly(_pki.RootCertificate) };
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a PKI made on its own publishes no revocation
        chain.ChainPolicy.ExtraStore.Add(_pki.Intermediate.PublicCertificate);
        var built = chain.Build(leaf);
        Assert.True(built, $"The chain did not build: {string.Join(", ", chain.ChainStatus.Select(s => s.Status))}");
        Assert.Equal(3, chain.ChainElements.Count);
    }

    [Fact]
    public void Serial_numbers_are_positive_and_unique()
    {
        using var a = _pki.IssueServerCertificate("a.localhost");
        using var b = _pki.IssueServerCertificate("b.localhost");
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        // SerialNumberBytes is big-endian (as in DER), so the sign bit is in its first byte; SerialNumber is the same bytes in hex.
        Assert.Equal(a.SerialNumber, Convert.ToHexString(a.SerialNumberBytes.Span));
        Assert.True(a.SerialNumberBytes.Span[0] < 0x80, "The DER serial number must be positive (high bit clear in its first byte).");
    }

    private static T Extension<T>(X509Certificate2 certificate)
        where T : X509Extension =>
        certificate.Extensions.OfType<T>().SingleOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"{certificate.Subject} has no {typeof(T).Name}.");

    private static void AssertAuthorityKeyIs(X509Certificate2 issuer, X509Certificate2 subject)
    {
        var ski = Extension<X509SubjectKeyIdentifierExtension>(issuer).SubjectKeyIdentifierBytes;
        var aki = Extension<X509AuthorityKeyIdentifierExtension>(subject).KeyIdentifier;
        Assert.True(aki.HasValue && aki.Value.Span.SequenceEqual(ski.Span),
            $"{subject.Subject}'s authority key identifier should equal {issuer.Subject}'s subject key identifier.");
    }
}
