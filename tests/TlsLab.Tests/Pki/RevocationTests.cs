using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Tests.Interop;
using TlsLab.Zoo;

namespace TlsLab.Tests.Pki;

// Test strategy: revocation is checked for real, over HTTP on loopback, by the platform's own chain
// engine and by OpenSSL, never by reading our own CRL back with our own code. A lab is started; a leaf is
// minted under its intermediate and revoked; .NET's X509Chain at the default (online) setting must say
// Revoked for it and nothing for a sibling that was not revoked, and the lab must have been asked (its
// answer count goes up). openssl ocsp asks the lab's responder and must read "revoked" and "good" in a
// response whose signature it verifies against the lab root; openssl verify with the CRL fetched from
// the address in the leaf must fail with X509_V_ERR_CERT_REVOKED (23). A stopped lab answers nothing:
// the refusal must say that the revocation server did not answer.
public sealed class RevocationTests
{
    [Fact]
    public async Task A_default_client_validates_good_online_and_the_lab_answers_the_check()
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, TestContext.Current.CancellationToken);
        var before = lab.RevocationAnswers;

        var outcome = await Connect(lab, "good");

        Assert.True(outcome is null, $"good should validate with revocation checked online; it was refused: {outcome}");
        Assert.True(lab.RevocationAnswers > before, "The client validated good without asking the lab's CRL or OCSP service: revocation was not checked.");
    }

    [Fact]
    public async Task The_platform_chain_says_Revoked_for_a_revoked_leaf_and_nothing_for_its_sibling()
    {
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, TestContext.Current.CancellationToken);
        using var revoked = lab.Pki.IssueServerCertificate("revoked-here.localhost");
        using var sibling = lab.Pki.IssueServerCertificate("fine-here.localhost");
        lab.Pki.Intermediate.Revoke(revoked);

        Assert.Contains(X509ChainStatusFlags.Revoked, Build(lab, revoked));
        Assert.Empty(Build(lab, sibling));
    }

    [Fact]
    public async Task Openssl_ocsp_reads_revoked_and_good_from_the_lab_responder()
    {
        var openssl = await Peers.OpenSslAsync();
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, TestContext.Current.CancellationToken);
        using var revoked = lab.Pki.IssueServerCertificate("revoked-here.localhost");
        using var good = lab.Pki.IssueServerCertificate("fine-here.localhost");
        lab.Pki.Intermediate.Revoke(revoked);
        using var files = new TempFiles();
        var issuer = files.Write("intermediate.pem", PemExport.Certificate(lab.Pki.Intermediate.PublicCertificate));
        var root = files.Write("root.pem", PemExport.Certificate(lab.RootCertificate));
        var ocsp = OcspAddress(revoked);

        foreach (var (certificate, expected) in new[] { (revoked, "revoked"), (good, "good") })
        {
            var leaf = files.Write($"{expected}.pem", PemExport.Certificate(certificate));
            var run = await ExternalTool.RunAsync(openssl.Path, ["ocsp", "-issuer", issuer, "-cert", leaf, "-url", ocsp, "-CAfile", root],
                timeout: TimeSpan.FromSeconds(20), cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(run.Output.Contains($"{leaf}: {expected}", StringComparison.Ordinal), $"openssl ocsp should read '{expected}':\n{run.Describe()}");
            Assert.True(run.Output.Contains("Response verify OK", StringComparison.Ordinal), $"openssl did not verify the OCSP response:\n{run.Describe()}");
        }
    }

    [Fact]
    public async Task Openssl_verify_with_the_fetched_CRL_fails_with_code_23_for_the_revoked_leaf()
    {
        var openssl = await Peers.OpenSslAsync();
        await using var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, TestContext.Current.CancellationToken);
        using var revoked = lab.Pki.IssueServerCertificate("revoked-here.localhost");
        lab.Pki.Intermediate.Revoke(revoked);
        using var files = new TempFiles();
        using var http = new HttpClient();
        var crl = await http.GetByteArrayAsync(CrlAddress(revoked), TestContext.Current.CancellationToken);
        var crlFile = files.Write("intermediate.crl.pem", PemEncoding.WriteString("X509 CRL", crl) + "\n");
        var root = files.Write("root.pem", PemExport.Certificate(lab.RootCertificate));
        var chain = files.Write("intermediate.pem", PemExport.Certificate(lab.Pki.Intermediate.PublicCertificate));
        var leaf = files.Write("leaf.pem", PemExport.Certificate(revoked));

        var run = await ExternalTool.RunAsync(openssl.Path, ["verify", "-crl_check", "-CRLfile", crlFile, "-CAfile", root, "-untrusted", chain, leaf],
            timeout: TimeSpan.FromSeconds(20), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode != 0 && run.Output.Contains("error 23", StringComparison.Ordinal),
            $"openssl verify -crl_check should fail with error 23 (certificate revoked):\n{run.Describe()}");
    }

    [Fact]
    public async Task When_the_lab_that_issued_a_certificate_is_stopped_the_refusal_says_so()
    {
        var lab = await Lab.StartAsync(new LabOptions { Scenarios = ["good"] }, TestContext.Current.CancellationToken);
        using var leaf = lab.Pki.IssueServerCertificate("stopped-lab.localhost");
        using var root = X509CertificateLoader.LoadCertificate(lab.RootCertificate.RawData);
        using var intermediate = X509CertificateLoader.LoadCertificate(lab.Pki.Intermediate.PublicCertificate.RawData);
        await lab.DisposeAsync();

        using var chain = new X509Chain { ChainPolicy = ChainPolicies.TrustOnly(root) };
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        Assert.False(chain.Build(leaf), "A chain whose revocation cannot be checked online must not build.");
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        Assert.True(flags.HasFlag(X509ChainStatusFlags.RevocationStatusUnknown), $"Expected RevocationStatusUnknown, got {flags}.");
        var sentence = Explain.ChainStatus(X509ChainStatusFlags.RevocationStatusUnknown);
        Assert.Contains("did not answer", sentence, StringComparison.Ordinal);
    }

    private static async Task<string?> Connect(Lab lab, string scenario)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(lab[scenario].EndPoint, TestContext.Current.CancellationToken);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        var recorder = new ValidationRecorder();
        var options = lab.CreateClientOptions(scenario);
        options.RemoteCertificateValidationCallback = recorder.Validate;
        try
        {
            await tls.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken);
            return null;
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
            return Explain.Failure(e, recorder);
        }
    }

    private static X509ChainStatusFlags[] Build(Lab lab, X509Certificate2 leaf)
    {
        using var chain = new X509Chain { ChainPolicy = ChainPolicies.TrustOnly(lab.RootCertificate) };
        chain.ChainPolicy.ExtraStore.Add(lab.Pki.Intermediate.PublicCertificate);
        chain.Build(leaf);
        return [.. chain.ChainStatus.Select(s => s.Status).Distinct()];
    }

    private static string OcspAddress(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().Single().EnumerateOcspUris().Single();

    // The CRL distribution point's one URI: the extension's last element, an IA5String running to its end.
    private static string CrlAddress(X509Certificate2 certificate)
    {
        var raw = System.Text.Encoding.ASCII.GetString(certificate.Extensions["2.5.29.31"]!.RawData);
        return raw[raw.IndexOf("http://", StringComparison.Ordinal)..];
    }

    private sealed class TempFiles : IDisposable
    {
        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tlslab-revocation-");

        public string Write(string name, string text)
        {
            var path = Path.Combine(_folder.FullName, name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => _folder.Delete(recursive: true);
    }
}
