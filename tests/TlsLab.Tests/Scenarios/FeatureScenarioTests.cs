using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TlsLab.Client;
using TlsLab.Diagnostics;
using TlsLab.Pki;
using TlsLab.Zoo;

namespace TlsLab.Tests.Scenarios;

// The zoo's feature scenarios (client-cert-optional, sni-multi, alpn, cn-only, wildcard, ocsp-stapled) put to a real SslStream
// over loopback, set up as a careful client is (the lab root only, .NET's default revocation check): each is accepted or refused
// for the reason its page gives, and what the server decided comes back in its /handshake.json or the lab's connection record.
public sealed class FeatureScenarioTests(LabFixture fixture)
{
    [Fact]
    public async Task Client_cert_optional_serves_a_client_without_a_certificate_and_says_none_was_sent()
    {
        var outcome = await ConnectAsync("client-cert-optional", "/handshake.json");

        Assert.True(outcome.Succeeded, $"'client-cert-optional' should serve a client with no certificate: {outcome.Explanation}");
        var report = HandshakeReport.Parse(outcome.Body!);
        Assert.Null(report.ClientCertificate);
        Assert.Null(report.ClientCertificateValid);
    }

    [Fact]
    public async Task Client_cert_optional_says_a_lab_issued_certificate_validated()
    {
        using var certificate = fixture.Lab.Pki.IssueClientCertificate("optional attendee");
        var options = fixture.Lab.CreateClientOptions("client-cert-optional");
        options.ClientCertificates = [certificate];

        var outcome = await ConnectAsync("client-cert-optional", "/handshake.json", options);

        Assert.True(outcome.Succeeded, outcome.Explanation);
        var report = HandshakeReport.Parse(outcome.Body!);
        Assert.Contains("optional attendee", report.ClientCertificate, StringComparison.Ordinal);
        Assert.True(report.ClientCertificateValid == true, $"A lab-issued client certificate should validate: {report.ClientCertificateProblem}");
    }

    [Fact]
    public async Task Client_cert_optional_refuses_a_client_certificate_that_does_not_chain_to_the_lab_root()
    {
        using var selfSigned = ServerCertificates.Prepare(CertificateAuthority.CreateSelfSigned(LeafSpec.ForClient("mallory")));
        var options = fixture.Lab.CreateClientOptions("client-cert-optional");
        options.ClientCertificates = [selfSigned];

        var outcome = await ConnectAsync("client-cert-optional", "/handshake.json", options);

        // Optional means "you may come without one", never "any certificate will do": a server accepts no certificate it could not validate.
        Assert.False(outcome.Succeeded, $"'client-cert-optional' must refuse a self-signed client certificate; it served it: {outcome.Body}");
    }

    [Fact]
    public async Task Client_cert_required_still_refuses_a_client_without_a_certificate()
    {
        var outcome = await ConnectAsync("client-cert-required", "/");

        Assert.False(outcome.Succeeded, "'client-cert-required' must still turn away a client with no certificate.");
        Assert.Equal(TlsProblem.ClientCertificateRequired, outcome.Problem);
    }

    [Theory]
    [InlineData("sni-multi.localhost", "sni-multi.localhost", "has a certificate for that name")]
    [InlineData(ScenarioCredentials.SniAlternativeName, ScenarioCredentials.SniAlternativeName, "has a certificate for that name")]
    public async Task Sni_multi_sends_the_certificate_for_the_name_asked(string sni, string expected, string why)
    {
        var options = fixture.Lab.CreateClientOptions("sni-multi");
        options.TargetHost = sni;

        var outcome = await ConnectAsync("sni-multi", "/handshake.json", options);

        Assert.True(outcome.Succeeded, $"A client asking sni-multi for {sni} should get a valid certificate for that name: {outcome.Explanation}");
        var report = HandshakeReport.Parse(outcome.Body!);
        Assert.Equal(expected, report.ServerCertificate);
        Assert.Contains(why, report.ServerCertificateReason, StringComparison.Ordinal);
    }

    // A client that sends no SNI (TargetHost an address) gets the default certificate, which is for a name, not for 127.0.0.1:
    // a careful client refuses it as a name mismatch, and the lab's record says which certificate it sent and why.
    [Fact]
    public async Task Sni_multi_sends_its_default_certificate_to_a_hello_without_SNI()
    {
        var options = fixture.Lab.CreateClientOptions("sni-multi");
        options.TargetHost = IPAddress.Loopback.ToString(); // .NET sends no SNI for an address

        var outcome = await ConnectAsync("sni-multi", "/", options);
        var record = await fixture.Lab.WaitForConnectionAsync(r => r.Client?.Port == outcome.LocalPort && r.Scenario == "sni-multi",
            TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(outcome.Succeeded, "The default certificate is for sni-multi.localhost, not 127.0.0.1: a careful client refuses it.");
        Assert.Equal(TlsProblem.NameMismatch, outcome.Problem);
        Assert.Null(record.ServerNameIndication);
        Assert.Equal("sni-multi.localhost", record.ServerCertificate);
        Assert.Contains("no SNI", record.ServerCertificateReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "h2", "http/1.1" }, "h2")]
    [InlineData(new[] { "http/1.1", "h2" }, "h2")]
    [InlineData(new[] { "http/1.1" }, "http/1.1")]
    public async Task Alpn_prefers_h2_from_what_the_client_offers(string[] offered, string expected)
    {
        var options = fixture.Lab.CreateClientOptions("alpn");
        options.ApplicationProtocols = offered.Select(p => new SslApplicationProtocol(p)).ToList();

        await using var tls = await HandshakeAsync("alpn", options);

        Assert.Equal(expected, tls.NegotiatedApplicationProtocol.ToString());
    }

    // OpenSSL underneath .NET on Linux: a server whose ALPN list shares nothing with the client's ends the handshake with the
    // no_application_protocol alert (120), which the .NET client sees as a failed handshake.
    [Fact]
    public async Task Alpn_refuses_a_client_that_offers_only_an_unknown_protocol()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Recorded on Linux, where .NET's server sends no_application_protocol (OpenSSL).");
        var options = fixture.Lab.CreateClientOptions("alpn");
        options.ApplicationProtocols = [new SslApplicationProtocol("tlslab-unknown")];

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await (await HandshakeAsync("alpn", options)).DisposeAsync());

        Assert.True(failure is AuthenticationException or IOException, $"Expected a failed handshake, got {failure.GetType().Name}: {failure.Message}");
    }

    [Fact]
    public async Task Cn_only_is_accepted_by_dotnet_on_linux_and_a_san_check_refuses_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), $"Recorded on Linux only: {ScenarioCatalog.CnOnlyOnDotNet}.");

        X509Certificate2? seen = null;
        var options = fixture.Lab.CreateClientOptions("cn-only");
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return errors == SslPolicyErrors.None;
        };

        await using (await HandshakeAsync("cn-only", options))
        {
            // .NET's own checks passed: errors was None although the name is only in the CN.
        }

        using var leaf = seen!;
        Assert.Null(leaf.Extensions["2.5.29.17"]); // no subject alternative name at all
        Assert.Equal("cn-only.localhost", leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    [Theory]
    [InlineData("one.wildcard.localhost", true)]
    [InlineData("two.levels.wildcard.localhost", false)]
    [InlineData("wildcard.localhost", false)]
    public async Task Wildcard_covers_exactly_one_label(string host, bool matches)
    {
        var options = fixture.Lab.CreateClientOptions("wildcard");
        options.TargetHost = host;

        var outcome = await ConnectAsync("wildcard", "/", options);

        if (matches)
        {
            Assert.True(outcome.Succeeded, $"'{ScenarioCredentials.WildcardName}' should cover {host}: {outcome.Explanation}");
        }
        else
        {
            Assert.False(outcome.Succeeded, $"'{ScenarioCredentials.WildcardName}' must not cover {host}.");
            Assert.Equal(TlsProblem.NameMismatch, outcome.Problem);
            Assert.Equal(SslPolicyErrors.RemoteCertificateNameMismatch, outcome.Validation?.PolicyErrors);
        }
    }

    [Fact]
    public async Task Ocsp_stapled_is_accepted_with_the_default_online_revocation_check()
    {
        var outcome = await ConnectAsync("ocsp-stapled", "/handshake.json");

        Assert.True(outcome.Succeeded, $"'ocsp-stapled' is a good certificate: {outcome.Explanation}");
        Assert.True(fixture.Lab.CredentialsOf("ocsp-stapled")!.Staples, "The ocsp-stapled endpoint should be set up to staple.");
    }

    private async Task<HandshakeOutcome> ConnectAsync(string name, string path, SslClientAuthenticationOptions? options = null) =>
        await TlsClient.ConnectAsync(fixture.Lab[name].EndPoint, options ?? fixture.Lab.CreateClientOptions(name), path,
            cancellationToken: TestContext.Current.CancellationToken);

    private async Task<SslStream> HandshakeAsync(string name, SslClientAuthenticationOptions options)
    {
        var endPoint = fixture.Lab[name].EndPoint;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, TestContext.Current.CancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }
}
