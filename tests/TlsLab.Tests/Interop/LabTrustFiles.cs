using TlsLab.Pki;

namespace TlsLab.Tests.Interop;

/// <summary>
/// The files a real peer needs to talk to the shared lab, written once per test class into a
/// fresh temporary folder: the lab root (the only trust anchor) and a client certificate with its
/// key for mutual TLS. Deleted with the class.
/// </summary>
public sealed class LabTrustFiles : IDisposable
{
    /// <summary>The common name on <see cref="Client"/>.</summary>
    public const string ClientName = "interop attendee";

    /// <summary>Writes the files for <paramref name="fixture"/>'s lab.</summary>
    public LabTrustFiles(LabFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Folder = Path.Combine(Path.GetTempPath(), "tlslab-interop-" + Guid.NewGuid().ToString("N")[..12]);
        Root = fixture.Lab.WriteRootCertificate(Path.Combine(Folder, "lab-root.pem"));
        using var client = fixture.Lab.Pki.IssueClientCertificate(ClientName);
        Client = PemExport.Write(Folder, "interop-client", client, [fixture.Lab.Pki.Intermediate.PublicCertificate]);
    }

    /// <summary>The temporary folder.</summary>
    public string Folder { get; }

    /// <summary>The lab root certificate, PEM (for -CAfile, --cacert, cafile=).</summary>
    public string Root { get; }

    /// <summary>A lab-issued client certificate: leaf, chain and key, PEM.</summary>
    public PemFiles Client { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder holds only throwaway material; never fail a run over it.
        }
    }
}
