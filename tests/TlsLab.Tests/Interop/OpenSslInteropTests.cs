using System.Security.Authentication;
using System.Text.RegularExpressions;
using TlsLab.Zoo;

namespace TlsLab.Tests.Interop;

/// <summary>
/// <c>openssl s_client</c>, the tool every TLS tutorial reaches for, against the zoo: it connects
/// where a careful client should, and where it refuses, it refuses for the scenario's reason, as
/// OpenSSL names it (X509_V_ERR codes and TLS alert numbers, which do not change between versions;
/// the texts after them sometimes do).
/// </summary>
public sealed partial class OpenSslInteropTests(LabFixture fixture, LabTrustFiles files) : IClassFixture<LabTrustFiles>
{
    /// <summary>openssl's ways of meeting a server it shares no version or suite with: its options, the alert number and name.</summary>
    public static TheoryData<string, string, int, string> NoCommonVersionOrSuite
    {
        get
        {
            var data = new TheoryData<string, string, int, string>();
            foreach (var (scenario, other) in PeerVerdicts.SingleVersion)
            {
                data.Add(scenario.Name, other == SslProtocols.Tls13 ? "-tls1_3" : "-tls1_2", 70, "protocol_version");
            }

            foreach (var scenario in PeerVerdicts.CbcOnly)
            {
                data.Add(scenario.Name, $"-tls1_2 -cipher {PeerVerdicts.AeadSuite(scenario)}", 40, "handshake_failure");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.AcceptedNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_verifies_the_chain_and_name_and_gets_an_answer(string name)
    {
        var endpoint = Endpoint(name);
        var protocol = PeerVerdicts.OnlyProtocol(endpoint.Scenario);

        var run = await SClientAsync(endpoint, "/handshake.json");

        Assert.True(run.ExitCode == 0 && run.StandardError.Contains("Verification: OK", StringComparison.Ordinal),
            $"openssl s_client trusting only the lab root should verify '{name}' and exit 0.\n{run.Describe()}");
        var (status, body) = SplitHttp(run.StandardOutput);
        Assert.True(status == "HTTP/1.1 200 OK", $"'{name}' should answer GET /handshake.json with 200 over openssl; it answered " +
            $"'{status}'.\n{run.Describe()}");
        var report = HandshakeReport.Parse(body);
        Assert.Equal(name, report.Scenario);
        Assert.Equal(endpoint.Host, report.Sni);
        if (protocol is not null)
        {
            Assert.Equal(protocol, report.Protocol);
        }
    }

    // What OpenSSL 1.1.1 and 3.x print, e.g. "depth=0 CN = expired.localhost ..." then
    // "verify error:num=10:certificate has expired". The code and depth per scenario: PeerVerdicts.Certificate.
    [Theory]
    [MemberData(nameof(PeerVerdicts.CertificateRefusalNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_refuses_a_broken_certificate_with_the_matching_verify_error(string name)
    {
        var endpoint = Endpoint(name);
        var (code, meaning, depth, _, _) = PeerVerdicts.Certificate(name);

        var run = await SClientAsync(endpoint);

        Assert.True(run.ExitCode != 0 && !run.TimedOut, $"openssl s_client with -verify_return_error should stop at once on '{name}' " +
            $"({meaning}).\n{run.Describe()}");
        Assert.DoesNotContain("HTTP/1.1", run.StandardOutput, StringComparison.Ordinal);
        var error = FirstVerifyError(run.Output);
        Assert.True(error is not null, $"openssl refused '{name}' but printed no 'verify error:num=' line; expected X509_V_ERR {code} " +
            $"({meaning}).\n{run.Describe()}");
        Assert.True(error.Value.Code == code && error.Value.Depth == depth,
            $"openssl refused '{name}' with verify error {error.Value.Code} ('{error.Value.Text}') at depth {error.Value.Depth}; " +
            $"expected {code} ({meaning}) at depth {depth}.\n{run.Describe()}");
    }

    // OpenSSL does not check revocation unless told: at its defaults it connects to a revoked server, as curl and Python do.
    [Theory]
    [MemberData(nameof(PeerVerdicts.RevokedNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_connects_to_a_revoked_server_at_its_defaults_and_refuses_it_when_it_downloads_the_CRL(string name)
    {
        var endpoint = Endpoint(name);
        var (code, meaning, depth, _, _) = PeerVerdicts.Certificate(name);

        var atDefaults = await SClientAsync(endpoint, "/handshake.json");
        Assert.True(atDefaults.ExitCode == 0 && atDefaults.StandardError.Contains("Verification: OK", StringComparison.Ordinal),
            $"openssl s_client without -crl_check does not ask whether '{name}' was revoked, and should connect.\n{atDefaults.Describe()}");

        var run = await SClientAsync(endpoint, extra: ["-crl_check", "-crl_download"]);
        var error = FirstVerifyError(run.Output);
        Assert.True(run.ExitCode != 0 && error is not null && error.Value.Code == code && error.Value.Depth == depth,
            $"openssl s_client -crl_check -crl_download fetches the CRL the certificate names (from the lab) and should refuse '{name}' with " +
            $"verify error {code} ({meaning}) at depth {depth}.\n{run.Describe()}");
    }

    [Theory]
    [MemberData(nameof(NoCommonVersionOrSuite))]
    public async Task Openssl_without_a_common_version_or_suite_gets_the_servers_alert(string name, string options, int alert, string alertName)
    {
        var endpoint = Endpoint(name);

        var run = await SClientAsync(endpoint, extra: options.Split(' '));

        Assert.True(run.ExitCode != 0 && !run.TimedOut, $"openssl s_client {options} should be refused by '{name}'.\n{run.Describe()}");
        Assert.True(run.Output.Contains($"SSL alert number {alert}", StringComparison.Ordinal),
            $"'{name}' should refuse openssl {options} with TLS alert {alert} ({alertName}); look for 'SSL alert number' below.\n{run.Describe()}");
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.CbcOnlyNames), MemberType = typeof(PeerVerdicts))]
    public async Task Default_openssl_connects_to_cbc_only_and_negotiates_a_cbc_suite(string name)
    {
        var endpoint = Endpoint(name);

        var run = await SClientAsync(endpoint, "/handshake.json");

        Assert.True(run.ExitCode == 0, $"A default openssl s_client should still connect to '{name}' (it offers CBC suites for TLS 1.2).\n{run.Describe()}");
        var report = HandshakeReport.Parse(SplitHttp(run.StandardOutput).Body);
        Assert.Equal("Tls12", report.Protocol);
        Assert.True(report.CipherSuite?.Contains("_CBC_", StringComparison.Ordinal) == true, $"'{name}' negotiated {report.CipherSuite}, not a CBC suite.");
        Assert.Contains(report.ClientHello!.CipherSuites, s => s.Contains("_GCM_", StringComparison.Ordinal)); // openssl offered AEAD too; the server chose
    }

    // .NET validates a client certificate after its side of the handshake and then closes the
    // connection without an alert, so openssl prints CONNECTION ESTABLISHED and then
    // "unexpected eof while reading". The proof of the refusal is that no answer ever comes.
    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_without_a_client_certificate_gets_no_answer_from_client_cert_required(string name)
    {
        var endpoint = Endpoint(name);

        var run = await SClientAsync(endpoint);

        Assert.True(run.ExitCode != 0 && !run.TimedOut, $"'{name}' should turn away openssl without -cert.\n{run.Describe()}");
        Assert.DoesNotContain("HTTP/1.1", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PeerVerdicts.ClientCertificateNames), MemberType = typeof(PeerVerdicts))]
    public async Task Openssl_with_a_lab_issued_client_certificate_is_served_by_client_cert_required(string name)
    {
        var endpoint = Endpoint(name);

        var run = await SClientAsync(endpoint, "/handshake.json", ["-cert", files.Client.Certificate, "-key", files.Client.Key]);

        Assert.True(run.ExitCode == 0, $"openssl with -cert/-key of a lab-issued client certificate should be served by '{name}'.\n{run.Describe()}");
        var report = HandshakeReport.Parse(SplitHttp(run.StandardOutput).Body);
        Assert.Contains(LabTrustFiles.ClientName, report.ClientCertificate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openssl_command_the_lab_prints_for_learners_works_as_printed()
    {
        var openssl = await Peers.OpenSslAsync();
        var endpoint = Endpoint("good");
        var command = ExternalTool.SplitCommandLine(endpoint.OpenSslCommand(files.Root));
        Assert.Equal("openssl", command[0]);

        var run = await ExternalTool.RunAsync(openssl.Path, command.Skip(1).ToList(), standardInput: null,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0 && run.Output.Contains("Verification: OK", StringComparison.Ordinal),
            $"The command LabEndpoint.OpenSslCommand gives learners should verify 'good' and exit 0.\n{run.Describe()}");
    }

    private LabEndpoint Endpoint(string name)
    {
        if (PlatformSupport.Problem(ScenarioCatalog.Find(name)!) is { } reason)
        {
            Assert.Skip($"'{name}' is not served on this platform: {reason}");
        }

        return fixture.Lab[name];
    }

    private async Task<ToolRun> SClientAsync(LabEndpoint endpoint, string path = "/", IEnumerable<string>? extra = null)
    {
        var openssl = await Peers.OpenSslAsync();
        List<string> arguments =
        [
            "s_client", "-connect", $"{endpoint.Address}:{endpoint.Port}",
            "-servername", endpoint.Host, "-verify_hostname", endpoint.Host,
            "-CAfile", files.Root, "-verify_return_error",
            "-brief", // a short summary on stderr; stdout carries only what the server sends
            "-ign_eof", // keep reading after stdin ends, until the server closes
            .. extra ?? [],
        ];
        var request = $"GET {path} HTTP/1.1\r\nHost: {endpoint.Host}\r\nConnection: close\r\n\r\n";
        return await ExternalTool.RunAsync(openssl.Path, arguments, request, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static (string Status, string Body) SplitHttp(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var status = response.Split("\r\n", 2)[0];
        return (status, end < 0 ? string.Empty : response[(end + 4)..]);
    }

    private static (int Depth, int Code, string Text)? FirstVerifyError(string output)
    {
        var depth = -1;
        foreach (var line in output.Split('\n'))
        {
            if (DepthLine().Match(line) is { Success: true } d)
            {
                depth = int.Parse(d.Groups[1].Value);
            }
            else if (VerifyErrorLine().Match(line) is { Success: true } e)
            {
                return (depth, int.Parse(e.Groups[1].Value), e.Groups[2].Value.Trim());
            }
        }

        return null;
    }

    [GeneratedRegex(@"^depth=(\d+)\b")]
    private static partial Regex DepthLine();

    [GeneratedRegex(@"verify error:num=(\d+):(.*)$")]
    private static partial Regex VerifyErrorLine();
}
