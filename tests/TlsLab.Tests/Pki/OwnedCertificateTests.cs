using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Tests.Pki;

/// <summary>
/// The public CA certificates are owned by their CA: one instance however often it is read, so a
/// lesson that reads <c>lab.RootCertificate</c> in a loop leaks nothing, and disposing the owner frees it.
/// </summary>
public sealed class OwnedCertificateTests
{
    [Fact]
    public void Reading_a_public_certificate_twice_gives_the_same_instance()
    {
        using var pki = new WorkshopPki();

        Assert.Same(pki.Root.PublicCertificate, pki.Root.PublicCertificate);
        Assert.Same(pki.Root.PublicCertificate, pki.RootCertificate);
        Assert.Same(pki.Intermediate.PublicCertificate, pki.Intermediate.PublicCertificate);
        Assert.False(pki.RootCertificate.HasPrivateKey, "The public root certificate must not carry the root's private key.");
        Assert.Equal(pki.Root.Certificate.RawData, pki.RootCertificate.RawData);
    }

    [Fact]
    public async Task The_labs_root_certificate_is_its_pkis_and_is_disposed_with_the_lab()
    {
        var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, TestContext.Current.CancellationToken);
        var root = lab.RootCertificate;
        Assert.Same(root, lab.RootCertificate);
        Assert.Same(lab.Pki.RootCertificate, root);
        Assert.NotEqual(IntPtr.Zero, root.Handle);

        await lab.DisposeAsync();

        Assert.True(root.Handle == IntPtr.Zero, "Disposing the lab should dispose the root certificate it handed out (its owner is the lab).");
    }
}
