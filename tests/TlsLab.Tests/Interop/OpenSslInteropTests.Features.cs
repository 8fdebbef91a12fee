using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

// The zoo's feature scenarios (client-cert-optional, sni-multi, alpn, cn-only, wildcard, ocsp-stapled) through openssl s_client:
// each option that shows the feature (-cert, -servername / -noservername, -alpn, -verify_hostname, -status) is run against
// the endpoint, and what openssl prints (or what the lab's /handshake.json reports back) must be the scenario's point.
public sealed partial class OpenSslInteropTests
{
    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateOptionalNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_is_served_by_client_cert_optional_with_and_without_a_client_certificate(string name)
    {
        var endpoint = Endpoint(name);

        var without = await SClientAsync(endpoint, "/handshake.json");
        var with = await SClientAsync(endpoint, "/handshake.json", ["-cert", files.Client.Certificate, "-key", files.Client.Key]);

        Assert.True(without.ExitCode == 0 && with.ExitCode == 0,
            $"'{name}' asks for a client certificate but should serve openssl with and without one.\n{without.Describe()}\n{with.Describe()}");
        var anonymous = HandshakeReport.Parse(SplitHttp(without.StandardOutput).Body);
        Assert.True(anonymous.ClientCertificate is null && anonymous.ClientCertificateValid is null,
            $"Without -cert, '{name}' should report no client certificate; it reported '{anonymous.ClientCertificate}'.");
        var known = HandshakeReport.Parse(SplitHttp(with.StandardOutput).Body);
        Assert.Contains(LabTrustFiles.ClientName, known.ClientCertificate, StringComparison.Ordinal);
        Assert.True(known.ClientCertificateValid == true, $"A lab-issued client certificate should validate on '{name}': {known.ClientCertificateProblem}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificatePerNameNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_gets_the_certificate_for_the_name_it_sends_and_the_default_without_SNI(string name)
    {
        var endpoint = Endpoint(name);

        var main = await SClientWithNameAsync(endpoint, ["-servername", endpoint.Host, "-verify_hostname", endpoint.Host]);
        var alternative = await SClientWithNameAsync(endpoint,
            ["-servername", ScenarioCredentials.SniAlternativeName, "-verify_hostname", ScenarioCredentials.SniAlternativeName]);
        var none = await SClientWithNameAsync(endpoint, ["-noservername", "-verify_hostname", endpoint.Host]);

        foreach (var (run, sent, expected) in new[]
        {
            (main, endpoint.Host, endpoint.Host), (alternative, ScenarioCredentials.SniAlternativeName, ScenarioCredentials.SniAlternativeName),
            (none, "(no SNI)", endpoint.Host),
        })
        {
            Assert.True(run.ExitCode == 0 && run.StandardError.Contains($"Peer certificate: CN = {expected},", StringComparison.Ordinal),
                $"openssl sending {sent} to '{name}' should be served the certificate for {expected} and verify it.\n{run.Describe()}");
            var report = HandshakeReport.Parse(SplitHttp(run.StandardOutput).Body);
            Assert.Equal(expected, report.ServerCertificate);
            Assert.False(string.IsNullOrEmpty(report.ServerCertificateReason), $"'{name}' should say why it chose {expected}.");
        }

        Assert.Contains("no SNI", HandshakeReport.Parse(SplitHttp(none.StandardOutput).Body).ServerCertificateReason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.WildcardMisses), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_refuses_a_name_the_wildcard_does_not_cover_with_hostname_mismatch(string name, string host)
    {
        var endpoint = Endpoint(name);

        var run = await SClientWithNameAsync(endpoint, ["-servername", host, "-verify_hostname", host]);

        var error = FirstVerifyError(run.Output);
        Assert.True(run.ExitCode != 0 && error is { Code: 62 },
            $"'{ScenarioCredentials.WildcardName}' covers exactly one label, so openssl -verify_hostname {host} should stop with verify error 62 " +
            $"(hostname mismatch).\n{run.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ApplicationProtocolChoiceNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_gets_h2_when_it_offers_it_http11_when_it_does_not_and_alert_120_for_an_unknown_protocol(string name)
    {
        var endpoint = Endpoint(name);

        var http11 = await SClientAsync(endpoint, "/handshake.json", ["-alpn", "http/1.1"]);
        var unknown = await SClientAsync(endpoint, extra: ["-alpn", "tlslab-unknown"]);

        var chosen = await StatusRunAsync(endpoint, ["-alpn", "http/1.1,h2"]);
        Assert.True(chosen.ExitCode == 0 && chosen.Output.Contains("ALPN protocol: h2", StringComparison.Ordinal),
            $"'{name}' prefers h2, even when openssl lists http/1.1 first.\n{chosen.Describe()}");
        Assert.True(http11.ExitCode == 0 && HandshakeReport.Parse(SplitHttp(http11.StandardOutput).Body).Alpn == "http/1.1",
            $"openssl offering only http/1.1 should get http/1.1 from '{name}'.\n{http11.Describe()}");
        Assert.True(unknown.ExitCode != 0 && unknown.Output.Contains("SSL alert number 120", StringComparison.Ordinal),
            $"openssl offering only an unknown protocol should be refused by '{name}' with alert 120 (no_application_protocol).\n{unknown.Describe()}");
    }

    // The lab speaks HTTP/1.1 after any ALPN; openssl s_client sends the bytes it is given, so the answer to an HTTP/1.1 request
    // after h2 is HTTP/2's own refusal (a SETTINGS frame first), not an HTTP/1.1 status line.
    [Theory]
    [MemberData(nameof(PeerVerdicts.ApplicationProtocolChoiceNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_that_negotiates_h2_and_then_speaks_http11_gets_no_http11_answer(string name)
    {
        var endpoint = Endpoint(name);

        var run = await SClientAsync(endpoint, "/", ["-alpn", "h2"]);

        Assert.DoesNotContain("HTTP/1.1 200", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CommonNameOnlyNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_still_accepts_a_name_found_only_in_the_common_name(string name)
    {
        var endpoint = Endpoint(name);

        var run = await SClientAsync(endpoint, "/handshake.json");

        Assert.True(run.ExitCode == 0 && run.StandardError.Contains("Verification: OK", StringComparison.Ordinal),
            $"OpenSSL's -verify_hostname falls back to the subject CN when there is no SAN, so openssl should verify '{name}' (a browser " +
            $"refuses it).\n{run.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.StapledNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_status_shows_the_stapled_OCSP_answer_good(string name)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(),
            "A .NET server staples OCSP answers it fetched itself on Linux (SslStreamCertificateContext.Create, offline: false); not checked here.");
        var endpoint = Endpoint(name);

        var run = await StatusRunAsync(endpoint, ["-status"]);
        if (!run.Output.Contains("OCSP Response Status", StringComparison.Ordinal))
        {
            // .NET fetches the answer in the background when the endpoint starts; a first handshake may come before it arrived.
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            run = await StatusRunAsync(endpoint, ["-status"]);
        }

        Assert.True(run.ExitCode == 0 && run.Output.Contains("OCSP Response Status: successful", StringComparison.Ordinal)
            && run.Output.Contains("Cert Status: good", StringComparison.Ordinal),
            $"openssl s_client -status should show the OCSP answer '{name}' staples: successful, Cert Status: good.\n{run.Describe()}");
    }

    [Fact]
    public async Task Openssl_status_shows_no_stapled_answer_from_good()
    {
        var run = await StatusRunAsync(Endpoint("good"), ["-status"]);

        Assert.True(run.ExitCode == 0 && run.Output.Contains("OCSP response: no response sent", StringComparison.Ordinal),
            $"'good' does not staple; openssl s_client -status should say 'no response sent'.\n{run.Describe()}");
    }

    // Without -brief: only the full output prints the OCSP answer and the ALPN protocol.
    private async Task<ToolRun> StatusRunAsync(LabEndpoint endpoint, IEnumerable<string> extra)
    {
        var openssl = await Peers.OpenSslAsync();
        List<string> arguments =
        [
            "s_client", "-connect", $"{endpoint.Address}:{endpoint.Port}", "-servername", endpoint.Host, "-verify_hostname", endpoint.Host,
            "-CAfile", files.Root, "-verify_return_error", .. extra,
        ];
        return await ExternalTool.RunAsync(openssl.Path, arguments, standardInput: "", cancellationToken: TestContext.Current.CancellationToken);
    }

    private async Task<ToolRun> SClientWithNameAsync(LabEndpoint endpoint, IEnumerable<string> names)
    {
        var openssl = await Peers.OpenSslAsync();
        List<string> arguments =
        [
            "s_client", "-connect", $"{endpoint.Address}:{endpoint.Port}", .. names,
            "-CAfile", files.Root, "-verify_return_error", "-brief", "-ign_eof",
        ];
        var request = $"GET /handshake.json HTTP/1.1\r\nHost: {endpoint.Host}\r\nConnection: close\r\n\r\n";
        return await ExternalTool.RunAsync(openssl.Path, arguments, request, cancellationToken: TestContext.Current.CancellationToken);
    }
}
