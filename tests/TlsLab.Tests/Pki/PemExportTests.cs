using System.Security.Cryptography.X509Certificates;
using TlsLab.Pki;

namespace TlsLab.Tests.Pki;

/// <summary>PEM files come out in the order a server needs, and the key is readable by its owner only.</summary>
public sealed class PemExportTests : IDisposable
{
    private readonly WorkshopPki _pki = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("tlslab-pem-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_chain_file_holds_the_leaf_first_then_the_intermediate_and_never_the_root()
    {
        using var leaf = _pki.IssueServerCertificate("pem.localhost");
        var files = PemExport.Write(_dir, "pem", leaf, [_pki.Intermediate.PublicCertificate]);

        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(files.Chain);
        Assert.Equal(2, chain.Count);
        Assert.Equal(leaf.Thumbprint, chain[0].Thumbprint);
        Assert.Equal(_pki.Intermediate.Certificate.Thumbprint, chain[1].Thumbprint);
    }

    [Fact]
    public void Certificate_and_key_files_load_back_into_a_certificate_with_its_private_key()
    {
        using var leaf = _pki.IssueServerCertificate("pem.localhost", KeyKind.Rsa2048);
        var files = PemExport.Write(_dir, "pem", leaf, []);

        using var loaded = X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(leaf.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void The_key_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows protects files with ACLs, not Unix modes; the user's profile folders are private by default.");
            return;
        }

        using var leaf = _pki.IssueServerCertificate("pem.localhost");
        var files = PemExport.Write(_dir, "pem", leaf, []);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.Key));
    }

    [Fact]
    public void Rewriting_an_existing_key_file_tightens_its_mode()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Windows protects files with ACLs, not Unix modes.");
            return;
        }

        var path = Path.Combine(_dir, "loose.key.pem");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        OwnerOnlyFile.WriteAllText(path, "new");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
