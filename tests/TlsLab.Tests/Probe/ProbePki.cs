using System.Net;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Tests.Probe;

/// <summary>A throwaway PKI for the probe's tests: leaf certificates minted once per test class for the servers the tests start.</summary>
public sealed class ProbePki : IDisposable
{
    /// <summary>The name on every leaf.</summary>
    public const string Host = "probe.localhost";

    private readonly Lazy<X509Certificate2> _rsa;
    private readonly Lazy<X509Certificate2> _expired;

    public ProbePki()
    {
        Pki = new WorkshopPki();
        Ecdsa = Pki.Intermediate.Issue(new LeafSpec(Host, [Host], [IPAddress.Loopback]));
        _rsa = new(() => Pki.Intermediate.Issue(new LeafSpec(Host, [Host], [IPAddress.Loopback], Key: KeyKind.Rsa2048)));
        _expired = new(() => Pki.Intermediate.Issue(new LeafSpec(Host, [Host], [IPAddress.Loopback],
            NotBefore: DateTimeOffset.UtcNow.AddDays(-30), NotAfter: DateTimeOffset.UtcNow.AddDays(-1))));
        Folder = Path.Combine(Path.GetTempPath(), "tlslab-probe-pki-" + Guid.NewGuid().ToString("N")[..12]);
        Root = Pki.Root.PublicCertificate;
        Directory.CreateDirectory(Folder);
        RootFile = Path.Combine(Folder, "root.pem");
        File.WriteAllText(RootFile, PemExport.Certificate(Root));
    }

    public WorkshopPki Pki { get; }

    /// <summary>The root (public part): the trust anchor a probe is given with --ca.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The root as a PEM file.</summary>
    public string RootFile { get; }

    public string Folder { get; }

    /// <summary>An ECDSA P-256 leaf for <see cref="Host"/> and 127.0.0.1, issued by the intermediate.</summary>
    public X509Certificate2 Ecdsa { get; }

    /// <summary>The same with an RSA-2048 key (for TLS_RSA_* and ECDHE_RSA suites).</summary>
    public X509Certificate2 Rsa => _rsa.Value;

    /// <summary>An ECDSA leaf whose validity ended yesterday.</summary>
    public X509Certificate2 Expired => _expired.Value;

    /// <summary>The intermediate a complete chain sends after the leaf.</summary>
    public X509Certificate2[] Chain => [Pki.Intermediate.PublicCertificate];

    public void Dispose()
    {
        Ecdsa.Dispose();
        if (_rsa.IsValueCreated)
        {
            _rsa.Value.Dispose();
        }

        if (_expired.IsValueCreated)
        {
            _expired.Value.Dispose();
        }

        Pki.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a public root certificate in a temp folder.
        }
    }
}
