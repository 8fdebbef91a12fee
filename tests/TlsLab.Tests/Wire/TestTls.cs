using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TlsLab.Tests.Wire;

/// <summary>A throwaway server certificate and a client that trusts exactly that certificate, for loopback TLS in tests.</summary>
internal static class TestTls
{
    public const string HostName = "good.localhost";

    /// <summary>A self-signed ECDSA P-256 server certificate for <see cref="HostName"/>, valid for a day.</summary>
    public static X509Certificate2 CreateServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));

        // A round trip through PKCS#12 gives a key that every platform's TLS stack can use for a server
        // (Windows SChannel refuses the ephemeral key CreateSelfSigned returns).
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// Client options that accept the server only if it presents exactly <paramref name="expected"/> (by SHA-256
    /// thumbprint) for the right name. The chain is not trusted (self-signed), which pinning makes acceptable;
    /// any other problem, such as a name mismatch, still fails.
    /// </summary>
    public static SslClientAuthenticationOptions PinnedClientOptions(X509Certificate2 expected)
    {
        var thumbprint = expected.GetCertHashString(HashAlgorithmName.SHA256);
        return new SslClientAuthenticationOptions
        {
            TargetHost = HostName,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null &&
                certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint &&
                (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
        };
    }

    /// <summary>Reads from <paramref name="stream"/> until <paramref name="marker"/> has been seen or the stream ends.</summary>
    public static async Task<string> ReadUntilAsync(Stream stream, string marker, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
